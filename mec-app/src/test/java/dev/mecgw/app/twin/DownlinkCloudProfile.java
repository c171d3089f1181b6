package dev.mecgw.app.twin;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/** A gateway whose sync is configured against an in-process Kafka, so that its downlink and heartbeat run. */
public class DownlinkCloudProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(DownlinkKafkaResource.class));
    }
}

package dev.mecgw.app.ingest.app;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** An ingest writer that commits one message at a time behind a one-message queue, so that a burst overflows it. */
public class TinyIngestQueueProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "mecgw.ingest.queue-capacity",
                "1",
                "mecgw.ingest.batch-size",
                "1",
                "mecgw.ingest.writers",
                "1",
                "mecgw.ingest.linger",
                "0ms");
    }
}

package dev.mecgw.app.twin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The versions a reported twin is read with (V280): per top-level key, the report that last carried it, so that an OTA
 * rollout tells a new firmware report from a report of another key (docs/ota.md "Which report counts").
 */
@QuarkusTest
class ReportedTwinTest {

    @Inject
    TwinStore twins;

    @Test
    void shouldStampEachReportedKeyWithTheVersionOfTheLastReportThatCarriedIt() {
        // Given a device that reported its firmware and a setting together
        String device = CommandFixtures.givenADevice("reported");
        long both = report(device, "{\"firmware\":{\"state\":\"idle\"},\"config\":{\"interval\":5}}");

        // When it reports the setting alone, then its firmware object keeps the version of the report before
        long setting = report(device, "{\"config\":{\"interval\":6}}");
        ReportedTwin read = twins.reportedAll(List.of(device)).get(device);
        assertThat(read.version()).isEqualTo(setting);
        assertThat(read.versionOf("config")).isEqualTo(setting);
        assertThat(read.versionOf("firmware")).isEqualTo(both).isLessThan(setting);

        // When it reports the same firmware object again, then that is a new report of it
        long again = report(device, "{\"firmware\":{\"state\":\"idle\"}}");
        read = twins.reportedAll(List.of(device)).get(device);
        assertThat(read.versionOf("firmware")).isEqualTo(again);
        assertThat(read.versionOf("config")).isEqualTo(setting);
        assertThat(read.reported().path("config").path("interval").asInt()).isEqualTo(6);
    }

    @Test
    void shouldTakeTheTwinVersionForAKeyReadWithoutItsOwn() {
        ReportedTwin read = new ReportedTwin(7, JsonNodeFactory.instance.objectNode());

        assertThat(read.versionOf("firmware")).isEqualTo(7);
    }

    private long report(String device, String json) {
        return twins.report(device, json.getBytes(StandardCharsets.UTF_8));
    }
}

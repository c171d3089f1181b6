package dev.mecgw.app.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Issue 21: a reading's quality flags are stored with it and read back; good readings keep quality 0. */
@QuarkusTest
class TelemetryQualityTest {

    @Inject
    TelemetryStore store;

    @Test
    void shouldKeepQualityFlagsWhenAReadingIsInvalid() {
        // given an invalid + not topical reading and a good one
        String device = "q-" + UUID.randomUUID();
        Instant t = Instant.parse("2026-12-05T21:50:12.345Z");
        store.append(List.of(
                new Reading(device, "voltage", t, 0.0, null, Reading.Kind.NUMBER, 0xC0),
                new Reading(device, "voltage", t.plusSeconds(1), 231.5)));
        // when read back
        List<Reading> back = store.query(device, "voltage", null, null, 10);
        // then the flags are there, and the good reading has none
        assertThat(back).extracting(Reading::quality).containsExactly(0, 0xC0);
        assertThat(back).extracting(Reading::value).containsExactly(231.5, 0.0);
    }
}

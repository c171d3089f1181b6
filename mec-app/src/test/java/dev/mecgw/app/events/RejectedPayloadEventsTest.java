package dev.mecgw.app.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mecgw.testsupport.logging.CapturedWarnings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Rejected payloads become one event per device and minute, through a bounded writer (issue 14 item 10). */
class RejectedPayloadEventsTest {

    private static final Instant T0 = Instant.parse("2026-12-05T10:00:05Z");

    private final List<Map<String, Object>> recorded = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private Instant now = T0;
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void shouldRecordOneEventPerDeviceAndMinuteWhenADeviceFloodsGarbage() {
        // given
        RejectedPayloadEvents events = givenEvents((device, kind, severity, payload) ->
                recorded.add(Map.of("device", device, "kind", kind, "payload", payload)));
        // when: 10,000 bad payloads from one device and 3 from another within a minute
        for (int i = 0; i < 10_000; i++) {
            events.rejected("flooder", "telemetry.rejected", "mqtt", "not JSON #" + i, 7);
        }
        for (int i = 0; i < 3; i++) {
            events.rejected("quiet", "telemetry.rejected", "mqtt", "empty", 0);
        }
        events.flush();
        // then: nothing is written while the minute lasts
        assertThat(recorded).isEmpty();
        // when the minute is over
        now = now.plus(Duration.ofMinutes(1));
        events.flush();
        // then: two rows, with the counts and the first reason
        await().atMost(Duration.ofSeconds(10)).until(() -> recorded.size() == 2);
        Map<?, ?> flooder = payloadOf("flooder");
        assertThat(flooder.get("count")).isEqualTo(10_000L);
        assertThat(flooder.get("reason")).isEqualTo("not JSON #0");
        assertThat(flooder.get("minute")).isEqualTo("2026-12-05T10:00:00Z");
        assertThat(payloadOf("quiet").get("count")).isEqualTo(3L);
    }

    @Test
    void shouldStartANewAggregateWhenTheNextMinuteBegins() {
        RejectedPayloadEvents events = givenEvents((device, kind, severity, payload) ->
                recorded.add(Map.of("device", device, "kind", kind, "payload", payload)));
        events.rejected("d", "coap.rejected", "coap", "first", 1);
        now = now.plus(Duration.ofMinutes(1));
        events.rejected("d", "coap.rejected", "coap", "second", 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> recorded.size() == 1);
        events.close();
        assertThat(recorded).hasSize(2);
        assertThat(recorded.get(1).get("payload"))
                .isInstanceOfSatisfying(
                        Map.class, p -> assertThat(p.get("reason")).isEqualTo("second"));
    }

    @Test
    void shouldDropAndCountWithoutBlockingWhenTheWriterIsBehind() throws Exception {
        // given: an event log that hangs (the database is stuck) and a writer queue of 2
        CountDownLatch stuck = new CountDownLatch(1);
        RejectedPayloadEvents events = new RejectedPayloadEvents(
                (device, kind, severity, payload) -> {
                    try {
                        stuck.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                clock,
                2,
                5,
                meters);
        // when: 10 devices (over the 5 counted at once) flood, and several minutes end
        for (int minute = 0; minute < 3; minute++) {
            for (int d = 0; d < 10; d++) {
                events.rejected("dev-" + d, "telemetry.rejected", "mqtt", "bad", 1);
            }
            now = now.plus(Duration.ofMinutes(1));
            events.flush();
        }
        // then: the callers never waited, and what could not be kept is counted
        assertThat(meters.counter("mecgw.events.dropped", "reason", "too-many-devices")
                        .count())
                .isEqualTo(15.0);
        assertThat(meters.counter("mecgw.events.dropped", "reason", "queue-full")
                        .count())
                .isGreaterThanOrEqualTo(12.0);
        stuck.countDown();
        events.close();
    }

    @Test
    void shouldWarnWithTheCountLostWhenTheLastFlushFails() {
        // given: rejections counted in the current minute, and an event log whose store has closed
        RejectedPayloadEvents events = givenEvents((device, kind, severity, payload) -> {
            throw new IllegalStateException("Event log unavailable");
        });
        for (int i = 0; i < 3; i++) {
            events.rejected("a", "telemetry.rejected", "mqtt", "secret-looking reason", 5);
        }
        events.rejected("b", "coap.rejected", "coap", "secret-looking reason", 5);
        List<String> warnings;
        try (CapturedWarnings captured = CapturedWarnings.of(RejectedPayloadEvents.class)) {
            // when: the gateway stops and the last minute cannot be written
            events.close();
            warnings = captured.messages();
        }
        // then: one warning says how much was lost, and nothing of what the devices sent
        assertThat(warnings)
                .singleElement()
                .asString()
                .contains("2 rejected-payload event(s)", "4 rejected payload(s)", "Event log unavailable")
                .doesNotContain("secret-looking");
    }

    private RejectedPayloadEvents givenEvents(EventLog log) {
        return new RejectedPayloadEvents(log, clock, 100, 1000, meters);
    }

    private Map<?, ?> payloadOf(String device) {
        return recorded.stream()
                .filter(r -> r.get("device").equals(device))
                .map(r -> (Map<?, ?>) r.get("payload"))
                .findFirst()
                .orElseThrow();
    }
}

package dev.mecgw.app.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.app.mqtt.TestClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The one login throttle of the MQTT password check and the console login (issue 13, item 6): per name and per
 * address, a sliding window on an injected clock, bounded memory that a flood cannot turn into a reset.
 */
class LoginThrottleTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final TestClock clock = new TestClock();

    @Test
    void shouldRefuseANameWhenItFailedTooOftenUntilTheFailuresAreAMinuteOld() {
        // given 2 failures allowed per name and minute
        LoginThrottle throttle = new LoginThrottle(2, 100, MINUTE, clock, 1_000);

        // when a name fails twice
        throttle.failed("sensor-a", "10.0.0.1");
        clock.advance(Duration.ofSeconds(30));
        throttle.failed("sensor-a", "10.0.0.2");

        // then it is refused from any address, other names are not
        assertThat(throttle.allowed("sensor-a", "10.0.0.3")).isFalse();
        assertThat(throttle.allowed("sensor-b", "10.0.0.1")).isTrue();
        // and once the first failure is a minute old, one counts and it may try again
        clock.advance(Duration.ofSeconds(30));
        assertThat(throttle.allowed("sensor-a", "10.0.0.3")).isTrue();
    }

    @Test
    void shouldRefuseAnAddressWhenItFailedAcrossManyNames() {
        // given 3 failures allowed per address
        LoginThrottle throttle = new LoginThrottle(100, 3, MINUTE, clock, 1_000);

        // when one address fails under 3 different names
        for (int i = 0; i < 3; i++) {
            throttle.failed("guess-" + i, "10.0.0.9");
        }

        // then it is refused for any name; an unknown address counts the name only
        assertThat(throttle.allowed("sensor-a", "10.0.0.9")).isFalse();
        assertThat(throttle.allowed("sensor-a", "10.0.0.8")).isTrue();
        assertThat(throttle.allowed("sensor-a", null)).isTrue();
    }

    @Test
    void shouldClearTheNameButNotTheAddressWhenAPasswordWasRight() {
        // given a name and an address at their limits
        LoginThrottle throttle = new LoginThrottle(1, 1, MINUTE, clock, 1_000);
        throttle.failed("admin", "10.0.0.1");

        // when the name succeeds
        throttle.succeeded("admin");

        // then the name is free again, the address still refused
        assertThat(throttle.allowed("admin", "10.0.0.2")).isTrue();
        assertThat(throttle.allowed("admin", "10.0.0.1")).isFalse();
    }

    @Test
    void shouldCountTheLastWindowWhenFailuresStraddleAWindowsEdge() {
        // given 2 failures allowed per minute
        LoginThrottle throttle = new LoginThrottle(2, 100, MINUTE, clock, 1_000);

        // when failures come at 0 s, 59 s and 60 s
        throttle.failed("sensor-a", null);
        clock.advance(Duration.ofSeconds(59));
        throttle.failed("sensor-a", null);
        clock.advance(Duration.ofSeconds(1));
        throttle.failed("sensor-a", null);

        // then two fall in the last minute: refused (a fixed window restarted at 60 s would allow a third)
        clock.advance(Duration.ofSeconds(1));
        assertThat(throttle.allowed("sensor-a", null)).isFalse();
    }

    @Test
    void shouldKeepRefusingAnAddressWhenAFloodOfMadeUpNamesFillsTheTable() {
        // given an address at its limit and a table of 8 keys
        LoginThrottle throttle = new LoginThrottle(100, 2, MINUTE, clock, 8);
        throttle.failed("guess-a", "10.6.6.6");
        throttle.failed("guess-b", "10.6.6.6");

        // when it keeps trying while others fail under made-up names from made-up addresses
        for (int i = 0; i < 100; i++) {
            assertThat(throttle.allowed("guess-" + i, "10.6.6.6")).isFalse();
            throttle.failed("made-up-" + i, "10.7.0." + i);
        }

        // then its count was not wiped to make room
        assertThat(throttle.allowed("sensor-a", "10.6.6.6")).isFalse();
    }
}

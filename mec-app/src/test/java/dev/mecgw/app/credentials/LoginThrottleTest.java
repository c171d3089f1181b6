package dev.mecgw.app.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.app.mqtt.TestClock;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one login throttle of the MQTT password check and the console login (issue 13, item 6): per name and per
 * address, a sliding window on an injected clock, bounded memory that a flood cannot turn into a reset, and a
 * constant state per key (review 9, finding 1.2).
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

    @Test
    void shouldKeepAConstantSizedStatePerKeyWhenANameFailsFarBeyondItsLimit() {
        // given 5 failures allowed per name
        LoginThrottle throttle = new LoginThrottle(5, 100, MINUTE, clock, 1_000);

        // when a name fails 10 times its limit within one window
        for (int i = 0; i < 50; i++) {
            throttle.failed("sensor-a", "10.0.0.1");
            clock.advance(Duration.ofMillis(100));
        }

        // then its state holds primitive fields only, no list that grows with the limit (the merged log kept up to
        // `limit` boxed times a key: 89 MB for the MQTT table in review 9)
        Object state = throttle.stateOf("sensor-a");
        assertThat(state).isNotNull();
        assertThat(instanceFields(state.getClass()))
                .isNotEmpty()
                .allSatisfy(field -> assertThat(field.getType().isPrimitive())
                        .as(field.getName())
                        .isTrue());
        assertThat(throttle.allowed("sensor-a", null)).isFalse();
    }

    @Test
    void shouldKeepALongNameUnderAKeyOfBoundedSizeThatCountsItsFailuresAlone() {
        // given 2 failures allowed per name, and names as long as an MQTT user name may be
        LoginThrottle throttle = new LoginThrottle(2, 100, MINUTE, clock, 1_000);
        String lastDiffers = "x".repeat(65_534) + "y";

        // when a long name fails twice
        throttle.failed("x".repeat(65_535), "10.0.0.1");
        throttle.failed("x".repeat(65_535), "10.0.0.2");

        // then the same name is refused, while one that differs in its last character is not (a digest, not a cut)
        assertThat(throttle.allowed("x".repeat(65_535), "10.0.0.3")).isFalse();
        assertThat(throttle.allowed(lastDiffers, "10.0.0.3")).isTrue();
        // and no key holds more than the bound's characters (before review 9's follow-up: the whole name, 65,540)
        assertThat(throttle.longestKey()).isLessThanOrEqualTo("name:".length() + LoginThrottle.MAX_PLAIN_KEY);
        // while a name within the bound still counts on its own key
        throttle.failed("y".repeat(LoginThrottle.MAX_PLAIN_KEY), null);
        throttle.failed("y".repeat(LoginThrottle.MAX_PLAIN_KEY), null);
        assertThat(throttle.allowed("y".repeat(LoginThrottle.MAX_PLAIN_KEY), null))
                .isFalse();
        assertThat(throttle.longestKey()).isEqualTo("name:".length() + LoginThrottle.MAX_PLAIN_KEY);
    }

    @Test
    void shouldNeverAllowMoreThanTheLimitWithinAWindowWhenFailuresArePackedAtAWindowsEnd() {
        // given 2 failures allowed per minute
        LoginThrottle throttle = new LoginThrottle(2, 100, MINUTE, clock, 1_000);
        List<Long> admitted = new ArrayList<>();

        // when a name fails at 58 s and 59 s, then tries every second and fails whenever allowed (a counter that
        // weights the previous minute by the overlap lets two more through before 120 s)
        clock.advance(Duration.ofSeconds(58));
        for (int second = 58; second < 240; second++) {
            if (throttle.allowed("sensor-a", null)) {
                throttle.failed("sensor-a", null);
                admitted.add(clock.millis());
            }
            clock.advance(Duration.ofSeconds(1));
        }

        // then no minute held more than 2, and it was not locked out for good
        assertThat(maxWithinAnyWindow(admitted, MINUTE)).isEqualTo(2);
        assertThat(admitted).hasSizeGreaterThanOrEqualTo(6);
    }

    @Test
    void shouldNeverAllowMoreThanTheLimitWithinAWindowWhenAnAttackerFailsWheneverAllowed() {
        // given 5 failures allowed per address and minute
        LoginThrottle throttle = new LoginThrottle(100, 5, MINUTE, clock, 1_000);
        List<Long> admitted = new ArrayList<>();

        // when an address tries every 700 ms for 10 minutes (every phase of the half-minute slots) and fails
        // whenever allowed
        for (int i = 0; i < 600_000 / 700; i++) {
            if (throttle.allowed("guess-" + i, "10.6.6.6")) {
                throttle.failed("guess-" + i, "10.6.6.6");
                admitted.add(clock.millis());
            }
            clock.advance(Duration.ofMillis(700));
        }

        // then no minute held more than 5, and it got at least 5 every minute and a half
        assertThat(maxWithinAnyWindow(admitted, MINUTE)).isEqualTo(5);
        assertThat(admitted).hasSizeGreaterThanOrEqualTo(5 * 600 / 90);
    }

    /** The most failure times within any span of one window, a failure at t counting within [t, t + window). */
    private static int maxWithinAnyWindow(List<Long> times, Duration window) {
        int max = 0;
        for (int i = 0; i < times.size(); i++) {
            int within = 0;
            for (int j = i; j < times.size() && times.get(j) - times.get(i) < window.toMillis(); j++) {
                within++;
            }
            max = Math.max(max, within);
        }
        return max;
    }

    private static List<Field> instanceFields(Class<?> type) {
        return Arrays.stream(type.getDeclaredFields())
                .filter(field -> !Modifier.isStatic(field.getModifiers()))
                .toList();
    }
}

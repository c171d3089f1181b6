package dev.mecgw.app.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.app.acl.Principal;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The one cache of verified passwords (issue 18 review): bound to the stored hash, age and revocation. */
class VerifiedPasswordCacheTest {

    private static final Duration TTL = Duration.ofMinutes(10);
    private static final Principal DEVICE = new Principal("s-1", "sensor");

    private final AtomicLong nanos = new AtomicLong(1_000);
    private final VerifiedPasswordCache cache = new VerifiedPasswordCache(nanos::get);

    @Test
    void shouldRememberTheDeviceWhenTheSamePasswordMeetsTheSameStoredHash() {
        // given
        cache.remember(DEVICE, "secret", "hash-1");

        // when / then
        assertThat(cache.lookup("s-1", "secret", "hash-1", TTL)).contains(DEVICE);
    }

    @Test
    void shouldMissWhenTheStoredHashChanged() {
        // given a verified password, then the device is re-keyed (no hook told the cache)
        cache.remember(DEVICE, "secret", "hash-1");

        // when / then
        assertThat(cache.lookup("s-1", "secret", "hash-2", TTL)).isEmpty();
    }

    @Test
    void shouldMissWhenTheDeviceHasNoStoredHashAnyMore() {
        cache.remember(DEVICE, "secret", "hash-1");

        assertThat(cache.lookup("s-1", "secret", null, TTL)).isEmpty();
    }

    @Test
    void shouldMissWhenAnotherPasswordOrDeviceIsPresented() {
        cache.remember(DEVICE, "secret", "hash-1");

        assertThat(cache.lookup("s-1", "guess", "hash-1", TTL)).isEmpty();
        assertThat(cache.lookup("s-2", "secret", "hash-1", TTL)).isEmpty();
    }

    @Test
    void shouldMissWhenOlderThanTheCallersMaximumAge() {
        // given
        cache.remember(DEVICE, "secret", "hash-1");

        // when
        nanos.addAndGet(Duration.ofMinutes(2).toNanos());

        // then each caller applies its own age
        assertThat(cache.lookup("s-1", "secret", "hash-1", TTL)).contains(DEVICE);
        assertThat(cache.lookup("s-1", "secret", "hash-1", Duration.ofMinutes(1)))
                .isEmpty();
    }

    @Test
    void shouldForgetEveryPasswordOfARevokedDevice() {
        // given
        cache.remember(DEVICE, "secret", "hash-1");
        cache.remember(new Principal("s-2", "sensor"), "other", "hash-9");

        // when
        cache.forget("s-1");

        // then
        assertThat(cache.lookup("s-1", "secret", "hash-1", TTL)).isEmpty();
        assertThat(cache.lookup("s-2", "other", "hash-9", TTL)).isPresent();
        assertThat(cache.size()).isEqualTo(1);
    }
}

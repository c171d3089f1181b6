package dev.mecgw.app.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    private final PasswordHasher hasher = new PasswordHasher(10_000);

    @Test
    void shouldVerifyWhenPasswordMatches() {
        String hash = hasher.hash("correct horse");
        assertThat(hasher.verify("correct horse", hash)).isTrue();
        assertThat(hasher.verify("correct horsE", hash)).isFalse();
        assertThat(hasher.verify("", hash)).isFalse();
    }

    @Test
    void shouldSaltEachHashWhenTheSamePasswordIsHashedTwice() {
        String a = hasher.hash("same");
        String b = hasher.hash("same");
        assertThat(a).isNotEqualTo(b).startsWith("pbkdf2-sha256$10000$").doesNotContain("same");
    }

    @Test
    void shouldVerifyOldHashesWhenIterationsAreRaised() {
        String old = hasher.hash("pw");
        assertThat(new PasswordHasher(20_000).verify("pw", old)).isTrue();
    }

    @Test
    void shouldRejectWhenHashIsMalformed() {
        assertThat(hasher.verify("pw", "plain")).isFalse();
        assertThat(hasher.verify("pw", "pbkdf2-sha256$x$y$z")).isFalse();
        assertThat(hasher.verify("pw", null)).isFalse();
        assertThat(hasher.verify(null, hasher.hash("pw"))).isFalse();
    }
}

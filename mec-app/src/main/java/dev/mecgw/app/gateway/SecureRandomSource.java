package dev.mecgw.app.gateway;

import java.security.SecureRandom;

/**
 * The gateway's one source of secure random bytes (salts, nonces, tokens, secrets, client ids). Thread-safe, as
 * {@link SecureRandom} is.
 *
 * <p>Why one holder: a {@code static final SecureRandom} in a class that native-image initialises while the image is
 * built would be seeded once, in the builder, and baked into every appliance; native-image refuses it ("Detected an
 * instance of Random/SplittableRandom class in the image heap"). This class alone is initialised at run time (the
 * {@code native} profile of mec-app's pom, docs/native.md), so classes that call {@link #nextBytes} instead of holding
 * their own generator need no entry in that profile.
 */
public final class SecureRandomSource {

    private static final SecureRandom RANDOM = new SecureRandom();

    private SecureRandomSource() {}

    /** Fills {@code bytes} with secure random bytes. */
    public static void nextBytes(byte[] bytes) {
        RANDOM.nextBytes(bytes);
    }
}

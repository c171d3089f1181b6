package dev.mecgw.app.ota;

import dev.mecgw.app.gateway.DataDirectory;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * Signs firmware with the site's Ed25519 key (issue 18 item 1): the signature covers the artifact's name, version and
 * SHA-256 ({@link #signedText}), so a device that checks it knows the image was meant for it by this site. The key is
 * a 32-byte seed kept as an owner-only secret file in the data directory (written durably, created on first use); the
 * public key is what devices are provisioned with ({@code GET /api/v1/rollouts/signing-key}). Thread-safe.
 */
public final class FirmwareSigner {

    /** Where the seed lives under the data directory. */
    public static final String SEED_FILE = "ota/firmware-signing.seed";

    private final KeyPair keys;

    private FirmwareSigner(KeyPair keys) {
        this.keys = keys;
    }

    /** The site's signer, its key created on first start. */
    public static FirmwareSigner of(DataDirectory data) {
        return fromSeed(data.secret(SEED_FILE, 32, false).bytes());
    }

    /** A signer for a 32-byte Ed25519 seed (RFC 8032 private key). */
    public static FirmwareSigner fromSeed(byte[] seed) {
        try {
            // JDK 17 has no public way to derive the public key from a seed; its generator draws exactly the
            // 32 seed bytes from the SecureRandom it is given, so a fixed one yields the key pair of the seed.
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(255, new FixedRandom(Arrays.copyOf(seed, 32)));
            return new FirmwareSigner(generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 unavailable", e);
        }
    }

    /** The text the signature covers: {@code mecgw-firmware-v1\n<name>\n<version>\n<sha256 hex>}. */
    public static String signedText(String name, String version, String sha256) {
        return "mecgw-firmware-v1\n" + name + "\n" + version + "\n" + sha256;
    }

    /** The Base64 Ed25519 signature over {@link #signedText}. */
    public String sign(String name, String version, String sha256) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(keys.getPrivate());
            signature.update(signedText(name, version, sha256).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /** The public key as X.509 SubjectPublicKeyInfo (DER), Base64. */
    public String publicKey() {
        return Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
    }

    /**
     * Checks a signature as a device does.
     *
     * @param publicKey Base64 X.509 SubjectPublicKeyInfo, as {@link #publicKey()} gives it
     * @return false for a wrong signature or malformed input
     */
    public static boolean verify(String publicKey, String name, String version, String sha256, String signature) {
        try {
            PublicKey key = KeyFactory.getInstance("Ed25519")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(publicKey)));
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(signedText(name, version, sha256).getBytes(StandardCharsets.UTF_8));
            return verifier.verify(Base64.getDecoder().decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Hands out the seed, once; the generator asks for nothing else. */
    private static final class FixedRandom extends SecureRandom {
        private final byte[] seed;

        FixedRandom(byte[] seed) {
            this.seed = seed;
        }

        @Override
        public void nextBytes(byte[] bytes) {
            System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
        }
    }
}

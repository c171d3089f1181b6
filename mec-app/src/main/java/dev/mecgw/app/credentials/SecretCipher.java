package dev.mecgw.app.credentials;

import dev.mecgw.app.gateway.SecureRandomSource;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets that the gateway must read back in clear, such as DTLS pre-shared keys, with
 * AES-256-GCM. The key lives in the data directory, so a database dump alone reveals nothing.
 * Ciphertext layout: 12-byte nonce followed by the GCM output. The device id is bound as associated
 * data so that a ciphertext copied onto another device does not decrypt. Thread-safe.
 */
public final class SecretCipher {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;

    /** @param key 32 bytes of key material */
    public SecretCipher(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("AES-256 needs a 32-byte key, got " + key.length);
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    /**
     * A stable, non-reversible identifier derived from a value, e.g. a device id from a SIM's external id (issue
     * 14.9): the first 20 hex digits of HMAC-SHA256 keyed with this site's key, so another site or the cloud cannot
     * tell the value from the identifier, nor test guesses against it.
     *
     * @param purpose what the identifier is for; identifiers of different purposes never match
     * @param value the value to derive from
     * @return 20 lowercase hex digits
     */
    public String keyedId(String purpose, String value) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            byte[] digest = mac.doFinal((purpose + '\0' + value).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest, 0, 10);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java 17 runtime", e);
        }
    }

    /** Encrypts {@code plain} bound to {@code owner}. */
    public byte[] encrypt(byte[] plain, String owner) {
        byte[] nonce = new byte[NONCE_BYTES];
        SecureRandomSource.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(owner.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length)
                    .put(nonce)
                    .put(sealed)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every Java 17 runtime", e);
        }
    }

    /**
     * Decrypts a ciphertext made by {@link #encrypt} for the same owner.
     *
     * @throws IllegalArgumentException when the ciphertext was tampered with, belongs to another owner or
     *     was made with another key
     */
    public byte[] decrypt(byte[] ciphertext, String owner) {
        if (ciphertext.length <= NONCE_BYTES) {
            throw new IllegalArgumentException("ciphertext too short");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, ciphertext, 0, NONCE_BYTES));
            cipher.updateAAD(owner.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return cipher.doFinal(ciphertext, NONCE_BYTES, ciphertext.length - NONCE_BYTES);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalArgumentException("secret does not authenticate (wrong key or owner)", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        }
    }
}

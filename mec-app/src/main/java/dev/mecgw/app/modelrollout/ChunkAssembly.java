package dev.mecgw.app.modelrollout;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * Checks chunks against their offer and puts the model together. Pure: the chunks come from, and go to, the store.
 */
public final class ChunkAssembly {

    private ChunkAssembly() {}

    /**
     * @return why the chunk does not belong to the offer (index out of range, wrong length, SHA-256 mismatch), or
     *     null when it does
     */
    public static String reject(ModelOffer offer, int index, byte[] data) {
        if (index < 0 || index >= offer.chunks()) {
            return "chunk index " + index + " outside 0.." + (offer.chunks() - 1);
        }
        long expected = Math.min(offer.chunkBytes(), offer.size() - (long) index * offer.chunkBytes());
        if (data.length != expected) {
            return "chunk " + index + " is " + data.length + " bytes, expected " + expected;
        }
        if (!sha256(data).equals(offer.chunkSha256().get(index))) {
            return "chunk " + index + " does not match its SHA-256";
        }
        return null;
    }

    /**
     * Joins every chunk in order and checks the whole model's SHA-256.
     *
     * @param chunks index → bytes; all of {@code 0..chunks-1} must be present
     * @throws IllegalStateException when a chunk is missing or the whole does not match the offer's SHA-256
     */
    public static byte[] assemble(ModelOffer offer, Map<Integer, byte[]> chunks) {
        byte[] model = new byte[Math.toIntExact(offer.size())];
        for (int i = 0; i < offer.chunks(); i++) {
            byte[] chunk = chunks.get(i);
            if (chunk == null) {
                throw new IllegalStateException("chunk " + i + " is missing");
            }
            System.arraycopy(chunk, 0, model, i * offer.chunkBytes(), chunk.length);
        }
        String actual = sha256(model);
        if (!actual.equals(offer.sha256())) {
            throw new IllegalStateException(
                    "the assembled model's SHA-256 is " + actual + ", expected " + offer.sha256());
        }
        return model;
    }

    /** @return the indexes in {@code 0..total-1} not in {@code received}, as ranges ({@code 0-3,7}); "" when none */
    public static String missing(Set<Integer> received, int total) {
        StringBuilder ranges = new StringBuilder();
        int i = 0;
        while (i < total) {
            if (received.contains(i)) {
                i++;
                continue;
            }
            int from = i;
            while (i < total && !received.contains(i)) {
                i++;
            }
            if (ranges.length() > 0) {
                ranges.append(',');
            }
            ranges.append(from);
            if (i - 1 > from) {
                ranges.append('-').append(i - 1);
            }
        }
        return ranges.toString();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JRE", e);
        }
    }
}

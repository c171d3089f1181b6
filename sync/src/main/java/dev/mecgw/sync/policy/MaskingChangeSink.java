package dev.mecgw.sync.policy;

import dev.mecgw.sync.cdc.ChangeEvent;
import dev.mecgw.sync.cdc.ChangeSink;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A {@link ChangeSink} in front of another that replaces masked column values, and masked values nested in JSON
 * columns ({@link JsonPathMasks}), by {@code hmac:<base64url>} of HMAC-SHA256 with the site secret. The same value always gives the same mask within a site, so the cloud can
 * still join and count by it, but cannot recover it without the secret, which never leaves the site.
 */
final class MaskingChangeSink implements ChangeSink {

    private final ChangeSink next;
    private final ColumnMasks masks;
    private final JsonPathMasks paths;
    private final SecretKeySpec key;
    private final JsonValueMasker nested = new JsonValueMasker(this::mask);

    /**
     * @param next the sink that receives masked changes; closed with this one
     * @param masks which columns to mask
     * @param secret the site secret, at least 32 bytes
     * @throws IllegalArgumentException when the secret is shorter than 32 bytes
     */
    MaskingChangeSink(ChangeSink next, ColumnMasks masks, byte[] secret) {
        this(next, masks, JsonPathMasks.NONE, secret);
    }

    /**
     * @param next the sink that receives masked changes; closed with this one
     * @param masks which columns to mask whole
     * @param paths which values nested in JSON columns to mask
     * @param secret the site secret, at least 32 bytes
     * @throws IllegalArgumentException when the secret is shorter than 32 bytes
     */
    MaskingChangeSink(ChangeSink next, ColumnMasks masks, JsonPathMasks paths, byte[] secret) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("the masking secret must have at least 32 bytes");
        }
        this.next = next;
        this.masks = masks;
        this.paths = paths;
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
    }

    @Override
    public CompletableFuture<Void> send(ChangeEvent event) {
        Set<String> columns = masks.of(event.table());
        Map<String, List<String>> nestedColumns = paths.of(event.table());
        if (columns.isEmpty() && nestedColumns.isEmpty() || event.after() == null) {
            return next.send(event);
        }
        Map<String, Object> row = new LinkedHashMap<>(event.after());
        nestedColumns.forEach((column, columnPaths) -> {
            Object value = row.get(column);
            if (value != null) {
                row.put(column, nested.apply(value, columnPaths));
            }
        });
        for (String column : columns) {
            Object value = row.get(column);
            if (value != null) {
                row.put(column, mask(value.toString()));
            }
        }
        return next.send(event.withAfter(row));
    }

    String mask(String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] digest = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
            return "hmac:" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    @Override
    public void close() {
        next.close();
    }
}

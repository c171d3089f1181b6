package dev.mecgw.sync.policy;

import dev.mecgw.sync.cdc.ChangeEvent;
import dev.mecgw.sync.cdc.ChangeSink;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A {@link ChangeSink} in front of another that replaces masked column values by {@code hmac:<base64url>} of
 * HMAC-SHA256 with the site secret. The same value always gives the same mask within a site, so the cloud can
 * still join and count by it, but cannot recover it without the secret, which never leaves the site.
 */
public final class MaskingChangeSink implements ChangeSink {

    private final ChangeSink next;
    private final ColumnMasks masks;
    private final SecretKeySpec key;

    /**
     * @param next the sink that receives masked changes; closed with this one
     * @param masks which columns to mask
     * @param secret the site secret, at least 32 bytes
     * @throws IllegalArgumentException when the secret is shorter than 32 bytes
     */
    public MaskingChangeSink(ChangeSink next, ColumnMasks masks, byte[] secret) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("the masking secret must have at least 32 bytes");
        }
        this.next = next;
        this.masks = masks;
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
    }

    @Override
    public CompletableFuture<Void> send(ChangeEvent event) {
        Set<String> columns = masks.of(event.table());
        if (columns.isEmpty() || event.after() == null) {
            return next.send(event);
        }
        Map<String, Object> row = new LinkedHashMap<>(event.after());
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

package dev.mecgw.devices.firmware;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Downloads an image over HTTP in bounded {@code Range} chunks as the device itself (HTTP Basic with its own
 * credentials; docs/ota.md): the bytes received so far are kept when the link drops or stalls, and the next request
 * asks for the rest, with {@code If-Range} = the image's ETag so that a replaced image starts over. A cut costs at
 * most one chunk. {@link HttpURLConnection} because a stalled body needs a read timeout. Blocking; one download at a
 * time per instance.
 */
public final class HttpRangeFetcher implements FirmwareAgent.Fetcher {

    private final URI base;
    private final String authorization;
    private final int chunk;
    private final DownloadRetry retry;
    private final AtomicLong received;

    /**
     * @param base the gateway's web base URI; the desired object's URIs are resolved against it
     * @param deviceId the device's id (Basic user)
     * @param password its registered password
     * @param chunk bytes asked for per request
     * @param retry failures allowed, waits and read timeout
     * @param received counts every body byte received
     */
    public HttpRangeFetcher(
            URI base, String deviceId, String password, int chunk, DownloadRetry retry, AtomicLong received) {
        this.base = base;
        this.authorization = "Basic "
                + Base64.getEncoder().encodeToString((deviceId + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.chunk = chunk;
        this.retry = retry;
        this.received = received;
    }

    @Override
    public byte[] fetch(String uri) throws IOException {
        URI target = base.resolve(uri);
        ByteArrayOutputStream image = new ByteArrayOutputStream();
        long[] size = {-1};
        String[] etag = {null};
        int failures = 0;
        while (size[0] < 0 || image.size() < size[0]) {
            try {
                request(target, image, size, etag);
                failures = 0;
            } catch (FatalDownload e) {
                throw e;
            } catch (IOException e) {
                if (++failures >= retry.maxFailures()) {
                    throw new IOException("connection lost " + failures + " times; last: " + e.getMessage(), e);
                }
                retry.pause(failures);
            }
        }
        return image.toByteArray();
    }

    /** One range request; what arrived before a cut stays in {@code image}. */
    private void request(URI target, ByteArrayOutputStream image, long[] size, String[] etag) throws IOException {
        long from = image.size();
        HttpURLConnection http = (HttpURLConnection) target.toURL().openConnection();
        try {
            http.setConnectTimeout((int) retry.readTimeout().toMillis());
            http.setReadTimeout((int) retry.readTimeout().toMillis());
            http.setRequestProperty("Authorization", authorization);
            http.setRequestProperty("Range", "bytes=" + from + "-" + (from + chunk - 1));
            if (etag[0] != null) {
                http.setRequestProperty("If-Range", etag[0]);
            }
            int status = http.getResponseCode();
            if (status == 503) {
                // The gateway is busy checking other devices' passwords: a transient refusal, try again later.
                throw new IOException("HTTP 503 for " + target.getPath());
            }
            if (status != 200 && status != 206) {
                throw new FatalDownload("HTTP " + status + " for " + target.getPath());
            }
            String tag = http.getHeaderField("ETag");
            if (status == 200 || (etag[0] != null && !etag[0].equals(tag))) {
                // The whole image: a first answer without ranges, or another image than the part we hold.
                image.reset();
            }
            etag[0] = tag;
            size[0] = status == 200 ? http.getContentLengthLong() : total(http.getHeaderField("Content-Range"));
            try (InputStream body = http.getInputStream()) {
                byte[] buffer = new byte[8192];
                int n;
                while ((n = body.read(buffer)) > 0) {
                    image.write(buffer, 0, n);
                    received.addAndGet(n);
                }
            }
        } finally {
            http.disconnect();
        }
    }

    private static long total(String contentRange) throws IOException {
        if (contentRange == null || contentRange.lastIndexOf('/') < 0) {
            throw new IOException("206 without Content-Range");
        }
        try {
            return Long.parseLong(
                    contentRange.substring(contentRange.lastIndexOf('/') + 1).strip());
        } catch (NumberFormatException e) {
            throw new IOException("bad Content-Range: " + contentRange, e);
        }
    }

    /** A refusal (401, 404, 416): retrying does not help. */
    private static final class FatalDownload extends IOException {
        FatalDownload(String message) {
            super(message);
        }
    }
}

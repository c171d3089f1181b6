package dev.mecgw.devices.firmware;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.BlockOption;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.exception.ConnectorException;

/**
 * Downloads an image over CoAP Block2 (RFC 7959), one block per request, so that after a lost link the device asks
 * for the first block it lacks instead of starting over (docs/ota.md). A change of ETag mid-transfer (the image was
 * replaced) starts over. The clients' endpoint must leave Block2 to it ({@link #configure}). Blocking; one download
 * at a time per instance.
 */
public final class CoapBlockFetcher implements FirmwareAgent.Fetcher {

    private final Function<String, CoapClient> clients;
    private final int blockSize;
    private final DownloadRetry retry;
    private final AtomicLong received;

    /**
     * @param clients a client for a path on the gateway, bound to the device's DTLS endpoint
     * @param blockSize block size asked for, 16 to 1024
     * @param retry lost requests allowed and the wait after each (the client's own timeout bounds a request)
     * @param received counts every payload byte received
     */
    public CoapBlockFetcher(
            Function<String, CoapClient> clients, int blockSize, DownloadRetry retry, AtomicLong received) {
        this.clients = clients;
        this.blockSize = blockSize;
        this.retry = retry;
        this.received = received;
    }

    /**
     * Turns off the library's transparent Block2 handling on an endpoint's configuration, so that each request gets
     * exactly the block it asks for. With it on, Californium turns the request for block 0 into a transfer of the
     * whole image, which the client's request timeout then cuts and this fetcher restarts from byte 0: bench/ota
     * (issue 18) measured 2.6 times the image sent per CoAP device with 20 devices, and 1,000 devices would never
     * finish. Responses of more than one block reach the application as their first block.
     */
    public static Configuration configure(Configuration config) {
        config.set(CoapConfig.MAX_RESOURCE_BODY_SIZE, 0);
        return config;
    }

    @Override
    public byte[] fetch(String uri) throws IOException {
        ByteArrayOutputStream image = new ByteArrayOutputStream();
        byte[] etag = null;
        int size = blockSize;
        int failures = 0;
        while (true) {
            Request get = Request.newGet();
            get.getOptions().setBlock2(BlockOption.size2Szx(size), false, image.size() / size);
            CoapResponse response;
            try {
                // A fresh client per block: a client keeps the DTLS session of its first answer for every later
                // request, and after a gateway restart (a new handshake, issue 18 kill -9 test) the connector drops
                // requests bound to the old session, so the download was lost although the gateway was back.
                response = clients.apply(uri).advanced(get);
            } catch (ConnectorException | IOException e) {
                response = null;
            }
            if (response == null) {
                if (++failures >= retry.maxFailures()) {
                    throw new IOException("connection lost " + failures + " times at byte " + image.size());
                }
                retry.pause(failures);
                continue;
            }
            failures = 0;
            if (!response.isSuccess()) {
                throw new IOException("CoAP " + response.getCode() + " for " + uri);
            }
            byte[] tag = response.getOptions().getETagCount() > 0
                    ? response.getOptions().getETags().get(0)
                    : null;
            if (etag != null && tag != null && !java.util.Arrays.equals(etag, tag)) {
                image.reset();
                etag = tag;
                continue;
            }
            etag = tag;
            byte[] payload = response.getPayload();
            image.write(payload);
            received.addAndGet(payload.length);
            BlockOption block2 = response.getOptions().getBlock2();
            // Without Block2 the whole image came in one answer.
            if (block2 == null || !block2.isM()) {
                return image.toByteArray();
            }
            size = block2.getSize();
        }
    }
}

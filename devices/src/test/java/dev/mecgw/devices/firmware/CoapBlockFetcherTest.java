package dev.mecgw.devices.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.BlockOption;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.elements.config.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 18 (found by bench/ota): a CoAP device fetches firmware one Block2 block per request and, after a lost
 * answer, asks again for the block it lacks; before, the library turned the request for block 0 into a whole-image
 * transfer that the request timeout cut and the fetcher restarted from byte 0.
 */
class CoapBlockFetcherTest {

    private static final int BLOCK = 1024;

    private final byte[] image = new byte[64 * BLOCK + 100];
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicLong served = new AtomicLong();
    private final Set<Integer> dropOnce = ConcurrentHashMap.newKeySet();
    private CoapServer server;
    private Endpoint device;

    @AfterEach
    void tearDown() {
        if (device != null) {
            device.destroy();
        }
        if (server != null) {
            server.destroy();
        }
    }

    @Test
    void shouldAskForEachBlockOnceWhenTheLinkHolds() throws Exception {
        // Given a gateway serving a 65 KiB image in 1024-byte blocks
        givenAGateway();

        // When the device fetches it with the sensor's endpoint configuration
        AtomicLong received = new AtomicLong();
        byte[] fetched = givenAFetcher(received).fetch("/fw/fw.bin");

        // Then it got the image with one request per block, and no byte twice
        assertThat(fetched.length).isEqualTo(image.length);
        assertThat(Arrays.equals(fetched, image)).isTrue();
        assertThat(requests.get()).isEqualTo(65);
        assertThat(served.get()).isEqualTo(image.length);
        assertThat(received.get()).isEqualTo(image.length);
    }

    @Test
    void shouldResumeAtTheMissingBlockWhenAnAnswerIsLost() throws Exception {
        // Given a gateway whose answer to block 40 is lost once
        givenAGateway();
        dropOnce.add(40);

        // When the device fetches the image
        byte[] fetched = givenAFetcher(new AtomicLong()).fetch("/fw/fw.bin");

        // Then it asked for block 40 again, not for the image from the start
        assertThat(fetched.length).isEqualTo(image.length);
        assertThat(Arrays.equals(fetched, image)).isTrue();
        assertThat(requests.get()).isEqualTo(66);
        assertThat(served.get()).isEqualTo(image.length);
    }

    private void givenAGateway() {
        new Random(18).nextBytes(image);
        // Block sizes as the gateway's (CaliforniumCoapServer): 1024-byte messages and blocks.
        Configuration config = Configuration.createStandardWithoutFile();
        config.set(CoapConfig.MAX_MESSAGE_SIZE, BLOCK);
        config.set(CoapConfig.PREFERRED_BLOCK_SIZE, BLOCK);
        server = new CoapServer(config);
        server.addEndpoint(CoapEndpoint.builder()
                .setConfiguration(config)
                .setInetSocketAddress(new InetSocketAddress("127.0.0.1", 0))
                .build());
        CoapResource blocks = new CoapResource("fw.bin") {
            @Override
            public void handleGET(CoapExchange exchange) {
                requests.incrementAndGet();
                BlockOption asked = exchange.getRequestOptions().getBlock2();
                int num = asked == null ? 0 : asked.getNum();
                if (dropOnce.remove(num)) {
                    // Lost on the way: the device hears nothing for this request.
                    return;
                }
                int from = num * BLOCK;
                byte[] block = Arrays.copyOfRange(image, from, Math.min(image.length, from + BLOCK));
                served.addAndGet(block.length);
                Response response = new Response(ResponseCode.CONTENT);
                response.setPayload(block);
                response.getOptions().setBlock2(BlockOption.size2Szx(BLOCK), from + BLOCK < image.length, num);
                exchange.respond(response);
            }
        };
        CoapResource fw = new CoapResource("fw");
        fw.add(blocks);
        server.add(fw);
        server.start();
    }

    private CoapBlockFetcher givenAFetcher(AtomicLong received) throws Exception {
        device = CoapEndpoint.builder()
                .setConfiguration(CoapBlockFetcher.configure(Configuration.createStandardWithoutFile()))
                .setInetSocketAddress(new InetSocketAddress("127.0.0.1", 0))
                .build();
        device.start();
        String root =
                "coap://127.0.0.1:" + server.getEndpoints().get(0).getAddress().getPort();
        return new CoapBlockFetcher(
                path -> {
                    CoapClient client = new CoapClient(root + path);
                    client.setEndpoint(device);
                    // Short, so that the lost answer costs the test half a second.
                    client.setTimeout(500L);
                    return client;
                },
                BLOCK,
                new DownloadRetry(5, Duration.ofMillis(10), Duration.ofSeconds(1)),
                received);
    }
}

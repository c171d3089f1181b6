package dev.mecgw.devices.firmware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 18 (found by bench/ota): a CoAP device fetches firmware one Block2 block per request and, after a lost
 * answer, asks again for the block it lacks; before, the library turned the request for block 0 into a whole-image
 * transfer that the request timeout cut and the fetcher restarted from byte 0.
 */
class CoapBlockFetcherTest {

    private static final int BLOCK = 1024;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String IDENTITY = "sensor-coap-1";
    private static final byte[] PSK = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final byte[] image = new byte[64 * BLOCK + 100];
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicLong served = new AtomicLong();
    private final Set<Integer> dropOnce = ConcurrentHashMap.newKeySet();
    /** Blocks from this number on go unanswered (the gateway is going down). */
    private final AtomicInteger silentFrom = new AtomicInteger(Integer.MAX_VALUE);

    private final AtomicInteger silenced = new AtomicInteger();
    /** Every block number asked for, in order. */
    private final List<Integer> askedBlocks = new CopyOnWriteArrayList<>();

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

    @Test
    void shouldFinishTheDownloadWhereItStoppedWhenTheGatewayRestartsWithNewDtlsSessions() throws Exception {
        // Given a DTLS gateway that stops answering at block 20 (it is being killed) while a device downloads
        InetSocketAddress address = freeUdpAddress();
        givenADtlsGateway(address);
        silentFrom.set(20);
        DTLSConnector dtls = givenADtlsDevice();
        AtomicLong received = new AtomicLong();
        CoapBlockFetcher fetcher = givenAFetcher("coaps://127.0.0.1:" + address.getPort(), received);
        ExecutorService download = Executors.newSingleThreadExecutor();
        try {
            Future<byte[]> fetched = download.submit(() -> fetcher.fetch("/fw/fw.bin"));
            await().atMost(WAIT).until(() -> silenced.get() > 0);

            // When it starts again on the same port knowing no DTLS session, and the device forgets its own (the
            // sensor does after 15 s unanswered) and handshakes afresh
            server.destroy();
            int askedBefore = askedBlocks.size();
            dtls.clearConnectionState();
            silentFrom.set(Integer.MAX_VALUE);
            givenADtlsGateway(address);

            // Then the download goes on at the block it lacked (issue 18 kill -9 test: before, every later request
            // was bound to the old DTLS session and dropped, and the device reported "connection lost")
            assertThat(fetched.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(image);
            assertThat(received.get()).as("bytes received: none twice").isEqualTo(image.length);
            // ... and the restarted gateway was never asked for a block the device had already
            assertThat(askedBlocks.subList(askedBefore, askedBlocks.size()))
                    .isNotEmpty()
                    .allSatisfy(num -> assertThat(num).isGreaterThanOrEqualTo(20));
        } finally {
            download.shutdownNow();
        }
    }

    private void givenAGateway() {
        givenAGateway(new InetSocketAddress("127.0.0.1", 0), null);
    }

    private void givenADtlsGateway(InetSocketAddress address) {
        Configuration config = Configuration.createStandardWithoutFile();
        config.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.SERVER_ONLY);
        givenAGateway(
                address,
                new DTLSConnector(DtlsConnectorConfig.builder(config)
                        .setAddress(address)
                        .setAdvancedPskStore(new AdvancedSinglePskStore(IDENTITY, PSK))
                        .build()));
    }

    /** @param dtls the gateway's DTLS connector, or null for plain UDP on {@code address} */
    private void givenAGateway(InetSocketAddress address, DTLSConnector dtls) {
        new Random(18).nextBytes(image);
        // Block sizes as the gateway's (CaliforniumCoapServer): 1024-byte messages and blocks.
        Configuration config = Configuration.createStandardWithoutFile();
        config.set(CoapConfig.MAX_MESSAGE_SIZE, BLOCK);
        config.set(CoapConfig.PREFERRED_BLOCK_SIZE, BLOCK);
        server = new CoapServer(config);
        CoapEndpoint.Builder endpoint = CoapEndpoint.builder().setConfiguration(config);
        server.addEndpoint(
                dtls == null
                        ? endpoint.setInetSocketAddress(address).build()
                        : endpoint.setConnector(dtls).build());
        CoapResource blocks = new CoapResource("fw.bin") {
            @Override
            public void handleGET(CoapExchange exchange) {
                requests.incrementAndGet();
                BlockOption asked = exchange.getRequestOptions().getBlock2();
                int num = asked == null ? 0 : asked.getNum();
                askedBlocks.add(num);
                if (num >= silentFrom.get()) {
                    silenced.incrementAndGet();
                    return;
                }
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
        return givenAFetcher(
                "coap://127.0.0.1:" + server.getEndpoints().get(0).getAddress().getPort(), received);
    }

    /** A device endpoint on DTLS with the sensor's PSK identity; returns its connector (to forget its sessions). */
    private DTLSConnector givenADtlsDevice() throws Exception {
        Configuration config = CoapBlockFetcher.configure(Configuration.createStandardWithoutFile());
        config.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY);
        DTLSConnector dtls = new DTLSConnector(DtlsConnectorConfig.builder(config)
                .setAddress(new InetSocketAddress("127.0.0.1", 0))
                .setAdvancedPskStore(new AdvancedSinglePskStore(IDENTITY, PSK))
                .build());
        device = CoapEndpoint.builder()
                .setConfiguration(config)
                .setConnector(dtls)
                .build();
        device.start();
        return dtls;
    }

    private static InetSocketAddress freeUdpAddress() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
        }
    }

    /** A fetcher on {@link #device} for the gateway at {@code root}. */
    private CoapBlockFetcher givenAFetcher(String root, AtomicLong received) {
        return new CoapBlockFetcher(
                path -> {
                    CoapClient client = new CoapClient(root + path);
                    client.setEndpoint(device);
                    // Short, so that the lost answer costs the test half a second.
                    client.setTimeout(500L);
                    return client;
                },
                BLOCK,
                new DownloadRetry(20, Duration.ofMillis(10), Duration.ofSeconds(1)),
                received);
    }
}

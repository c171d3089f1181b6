package dev.mecgw.app.coap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.mecgw.app.artifacts.FileArtifactStore;
import dev.mecgw.app.events.RejectedPayloadEvents;
import dev.mecgw.app.registry.DeviceRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.BlockOption;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.elements.AddressEndpointContext;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18 item 1: a device fetching firmware in small Block2 blocks is not cut off by the per-peer rate limit (before,
 * {@code coap-client -b 5:64} got 5.03 after ~28 blocks), while requests that start transfers are still counted.
 */
class FirmwareDownloadTest {

    private static final byte[] KEY = "0123456789abcdef".getBytes();

    @TempDir
    Path dir;

    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    private CaliforniumCoapServer server;
    private FirmwareResource firmware;
    private Endpoint client;

    @AfterEach
    void tearDown() throws Exception {
        if (client != null) {
            client.destroy();
        }
        if (server != null) {
            server.close();
        }
        workers.shutdownNow();
        workers.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void shouldDownloadOneMebibyteInSixtyFourByteBlocksWhenTheRateLimitIsTheDefault() throws Exception {
        // Given a 1 MiB image and the default per-peer rate (50/s, burst 100)
        byte[] image = new byte[1 << 20];
        new Random(18).nextBytes(image);
        givenAServerWith("fw.bin", image, 50, 100);

        // When a device fetches it over DTLS asking for 64-byte blocks (16,384 requests)
        CoapResponse response = dtlsClient("/fw/fw.bin", 64).get();

        // Then every block was served, each counted once for mecgw.ota.download.bytes (bench/ota's bytes per device)
        assertThat(response).isNotNull();
        assertThat(response.getCode()).isEqualTo(ResponseCode.CONTENT);
        assertThat(response.getPayload()).isEqualTo(image);
        assertThat(firmware.bytesServed()).isEqualTo(image.length);
        // and none of its 16,384 answered blocks is kept for deduplication (issue 18 finding 1)
        assertThat(server.deduplicator().size()).isZero();
    }

    @Test
    void shouldStillCountRequestsThatStartTransfers() throws Exception {
        // Given a tight rate: 1/s with a burst of 3, and a peer clock that stands still (no refill however slow the
        // machine)
        givenAServerWith("fw.bin", new byte[4096], 1, 3, () -> 0L);
        CoapClient device = dtlsClient("/fw/fw.bin", 64);

        // When the device asks for the first block again and again
        int refused = 0;
        for (int i = 0; i < 6; i++) {
            Request first = Request.newGet();
            first.getOptions().setBlock2(BlockOption.size2Szx(64), false, 0);
            CoapResponse answer = device.advanced(first);
            assertThat(answer).as("answer to request %d", i).isNotNull();
            if (answer.getCode() == ResponseCode.SERVICE_UNAVAILABLE) {
                refused++;
            }
        }

        // Then those over the burst are refused
        assertThat(refused).isEqualTo(3);
    }

    @Test
    void shouldNotTreatAJumpAheadAsAContinuation() {
        // Given a peer whose transfer served the block at offset 0
        Block2Transfers transfers = new Block2Transfers();
        InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 5684);
        transfers.track(block(peer, "fw.bin", 0), 0);

        // Then the next block continues, a jump of more than one largest block and another artifact do not
        assertThat(transfers.continues(block(peer, "fw.bin", 1), 1)).isTrue();
        assertThat(transfers.continues(block(peer, "fw.bin", 1), 2)).isFalse();
        assertThat(transfers.continues(block(peer, "fw.bin", 40), 3)).isFalse();
        assertThat(transfers.continues(block(peer, "other.bin", 2), 4)).isFalse();
        assertThat(transfers.continues(block(new InetSocketAddress("127.0.0.1", 5685), "fw.bin", 2), 5))
                .isFalse();
    }

    private static Request block(InetSocketAddress peer, String name, int num) {
        Request request = Request.newGet();
        request.getOptions().addUriPath("fw").addUriPath(name);
        request.getOptions().setBlock2(BlockOption.size2Szx(64), false, num);
        request.setSourceContext(new AddressEndpointContext(peer));
        return request;
    }

    private void givenAServerWith(String name, byte[] image, int rate, int burst) throws Exception {
        givenAServerWith(name, image, rate, burst, System::nanoTime);
    }

    private void givenAServerWith(String name, byte[] image, int rate, int burst, LongSupplier peerClock)
            throws Exception {
        FileArtifactStore artifacts =
                new FileArtifactStore(dir, 2 << 20, new ObjectMapper().registerModule(new JavaTimeModule()));
        artifacts.put(name, new ByteArrayInputStream(image));
        DeviceRegistry registry = (DeviceRegistry) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {DeviceRegistry.class}, (proxy, method, args) -> null);
        RejectedPayloadEvents rejections = new RejectedPayloadEvents(
                (deviceId, kind, severity, payload) -> {}, Clock.systemUTC(), 16, 16, new SimpleMeterRegistry());
        CoapDevices devices = new CoapDevices(registry, rejections, workers, Duration.ofMinutes(5));
        server = new CaliforniumCoapServer(
                new TestCoapConfig(false, rate, burst),
                List.of(firmware = new FirmwareResource(artifacts, devices, 1024)),
                new AdvancedSinglePskStore("dev-1", KEY),
                Optional.empty(),
                null,
                peerClock);
        server.start();
    }

    private CoapClient dtlsClient(String path, int blockSize) {
        // Californium 3's own handshake timers (4 retransmissions from 2 s), as this test has always used
        Configuration config = CoapTestDevices.dtlsClientConfiguration(4, Duration.ofSeconds(2));
        config.set(org.eclipse.californium.core.config.CoapConfig.MAX_RESOURCE_BODY_SIZE, 2 << 20);
        config.set(org.eclipse.californium.core.config.CoapConfig.PREFERRED_BLOCK_SIZE, blockSize);
        client = CoapTestDevices.pskEndpoint("dev-1", KEY, config);
        // a blockwise GET's synchronous timeout covers the whole transfer: 16,384 DTLS exchanges at a loaded
        // machine's ~7 ms each already pass 120 s. 10 minutes keeps the 1 MiB image, and with it the margin by
        // which the transfer exceeds what the rate limit (100 + 50/s) would let through if it counted blocks
        return CoapTestDevices.dtlsClient(client, server.dtlsAddress(), path, 600_000L);
    }
}

package dev.mecgw.app.coap;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.Exchange;
import org.eclipse.californium.core.network.InMemoryMessageExchangeStore;
import org.eclipse.californium.core.network.KeyMID;
import org.eclipse.californium.core.network.serialization.UdpDataParser;
import org.eclipse.californium.core.network.serialization.UdpDataSerializer;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;
import org.eclipse.californium.elements.config.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 18 finding 1 (bench/ota): heap after a full GC grew with the number of downloading CoAP peers (311 MiB with
 * 200 peers fetching 1 KiB Block2 blocks, 38 MiB with 20), because the per-peer deduplicator kept up to 256 answered
 * exchanges per peer. Peers here are real UDP sockets on distinct loopback ports speaking CoAP to a Californium
 * server.
 */
class BudgetedDeduplicatorTest {

    private static final int PAYLOAD_BYTES = 1000;
    private static final long LIFETIME_NANOS = TimeUnit.SECONDS.toNanos(247);

    private final AtomicInteger handled = new AtomicInteger();
    private final List<DatagramSocket> peers = new ArrayList<>();
    private CoapServer server;
    private BudgetedDeduplicator deduplicator;
    private int port;

    @AfterEach
    void tearDown() {
        peers.forEach(DatagramSocket::close);
        if (server != null) {
            server.destroy();
        }
    }

    @Test
    void shouldKeepTheCacheUnderItsByteBudgetWhenManyPeersFetchBlocks() throws Exception {
        // Given a 512 KiB budget and a resource answering 1000-byte bodies that are kept for deduplication
        givenAServer(512 << 10, request -> false);

        // When 150 peers each fetch 20 bodies (3,000 answered exchanges; the per-peer cache kept all of them)
        for (int peer = 0; peer < 150; peer++) {
            DatagramSocket socket = givenAPeer();
            for (int mid = 0; mid < 20; mid++) {
                assertThat(exchange(socket, "data", mid).getPayloadSize()).isEqualTo(PAYLOAD_BYTES);
            }
        }

        // Then the cache is full but within the budget, charged and actually retained
        assertThat(handled).hasValue(3000);
        assertThat(deduplicator.size()).isEqualTo(deduplicator.maxEntries()).isLessThan(3000);
        assertThat((long) deduplicator.size() * deduplicator.entryBytes()).isLessThanOrEqualTo(512 << 10);
        assertThat(deduplicator.retainedMessageBytes())
                .isGreaterThan((long) deduplicator.size() * PAYLOAD_BYTES)
                .isLessThanOrEqualTo(512 << 10);
    }

    @Test
    void shouldAnswerARetransmissionFromTheCacheWhenItIsKept() throws Exception {
        // Given a server that keeps every exchange
        givenAServer(1 << 20, request -> false);
        DatagramSocket socket = givenAPeer();

        // When the same confirmable request (same message id) arrives twice
        Response first = exchange(socket, "data", 7);
        Response again = exchange(socket, "data", 7);

        // Then the handler ran once and the retransmission got the same answer
        assertThat(handled).hasValue(1);
        assertThat(again.getMID()).isEqualTo(first.getMID());
        assertThat(again.getPayload()).isEqualTo(first.getPayload());
    }

    @Test
    void shouldKeepNothingWhenPeersFetchFirmwareBlocks() throws Exception {
        // Given the gateway's rule: GETs of /fw/{name} are re-served from the artifact, not kept
        givenAServer(1 << 20, BudgetedDeduplicator::firmwareGet);

        // When 100 peers fetch 10 blocks each, and one retransmits a block request
        DatagramSocket first = null;
        for (int peer = 0; peer < 100; peer++) {
            DatagramSocket socket = givenAPeer();
            first = first == null ? socket : first;
            for (int mid = 0; mid < 10; mid++) {
                exchange(socket, "fw/image.bin", mid);
            }
        }
        Response again = exchange(first, "fw/image.bin", 3);

        // Then no exchange is retained and the retransmission was answered by reading the block again
        assertThat(deduplicator.size()).isZero();
        assertThat(deduplicator.retainedMessageBytes()).isZero();
        assertThat(handled).hasValue(1001);
        assertThat(again.getCode()).isEqualTo(ResponseCode.CONTENT);
        assertThat(again.getPayloadSize()).isEqualTo(PAYLOAD_BYTES);
    }

    @Test
    void shouldForgetExchangesOlderThanTheLifetimeWhenSwept() {
        // Given a cache with two entries kept at different times
        AtomicLong now = new AtomicLong();
        BudgetedDeduplicator cache = new BudgetedDeduplicator(1 << 20, 1024, 16, LIFETIME_NANOS, r -> false, now::get);
        InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 5683);
        cache.findPrevious(new KeyMID(1, peer), new Exchange(Request.newGet(), peer, Exchange.Origin.REMOTE, null));
        now.addAndGet(LIFETIME_NANOS / 2);
        cache.findPrevious(new KeyMID(2, peer), new Exchange(Request.newGet(), peer, Exchange.Origin.REMOTE, null));

        // When the sweep runs after the first one's lifetime
        now.addAndGet(LIFETIME_NANOS / 2 + 1);
        cache.sweep();

        // Then only the second is left
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.find(new KeyMID(1, peer))).isNull();
        assertThat(cache.find(new KeyMID(2, peer))).isNotNull();
    }

    @Test
    void shouldDropAPeersOldestExchangeWhenItExceedsItsCount() {
        // Given a cache that keeps 16 exchanges per peer
        BudgetedDeduplicator cache = new BudgetedDeduplicator(1 << 20, 1024, 16, LIFETIME_NANOS, r -> false, () -> 0);
        InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 5683);

        // When the peer sends 20 messages
        for (int mid = 0; mid < 20; mid++) {
            cache.findPrevious(
                    new KeyMID(mid, peer), new Exchange(Request.newGet(), peer, Exchange.Origin.REMOTE, null));
        }

        // Then its 16 newest are kept
        assertThat(cache.size()).isEqualTo(16);
        assertThat(cache.find(new KeyMID(3, peer))).isNull();
        assertThat(cache.find(new KeyMID(4, peer))).isNotNull();
    }

    private void givenAServer(long budgetBytes, Predicate<Request> reservable) {
        Configuration config = Configuration.createStandardWithoutFile();
        deduplicator = new BudgetedDeduplicator(budgetBytes, 1152, 256, LIFETIME_NANOS, reservable, System::nanoTime);
        InMemoryMessageExchangeStore store = new InMemoryMessageExchangeStore(config);
        store.setDeduplicator(deduplicator);
        server = new CoapServer(config);
        server.addEndpoint(CoapEndpoint.builder()
                .setConfiguration(config)
                .setInetSocketAddress(new InetSocketAddress("127.0.0.1", 0))
                .setMessageExchangeStore(store)
                .build());
        server.add(new Body("data"), new Body("fw"));
        server.start();
        port = server.getEndpoints().get(0).getAddress().getPort();
    }

    private DatagramSocket givenAPeer() throws Exception {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        // A bound on a lost datagram, not an assertion on time.
        socket.setSoTimeout(30_000);
        peers.add(socket);
        return socket;
    }

    /** Sends a confirmable GET with the given message id and returns the piggybacked answer. */
    private Response exchange(DatagramSocket socket, String path, int mid) throws Exception {
        Request request = Request.newGet();
        request.setURI("coap://127.0.0.1:" + port + "/" + path);
        request.setMID(mid);
        request.setToken(new byte[] {(byte) (mid >> 8), (byte) mid});
        byte[] bytes = new UdpDataSerializer().getByteArray(request);
        socket.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress("127.0.0.1", port)));
        byte[] buffer = new byte[2048];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        socket.receive(packet);
        byte[] answer = Arrays.copyOf(buffer, packet.getLength());
        return (Response) new UdpDataParser().parseMessage(answer);
    }

    /** Answers every GET under its name with a 1000-byte body, counting the handler calls. */
    private final class Body extends CoapResource {

        Body(String name) {
            super(name);
        }

        @Override
        public Resource getChild(String name) {
            return this;
        }

        @Override
        public void handleGET(CoapExchange exchange) {
            handled.incrementAndGet();
            exchange.respond(ResponseCode.CONTENT, new byte[PAYLOAD_BYTES]);
        }
    }
}

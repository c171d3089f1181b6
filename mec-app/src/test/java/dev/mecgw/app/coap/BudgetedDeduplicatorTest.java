package dev.mecgw.app.coap;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapResponse;
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
 * exchanges per peer. Review finding: evicting the oldest entry when the budget was full kept 1.7 s of history at
 * 15,000 requests/s, so a retransmitted POST could be stored twice; now a full budget refuses new requests with 5.03.
 * Peers here are real UDP sockets, raw or a Californium client, on distinct loopback ports speaking CoAP to a
 * Californium server with the gateway's stack; time is a test clock.
 */
class BudgetedDeduplicatorTest {

    private static final int PAYLOAD_BYTES = 1000;
    private static final long SPAN_NANOS = TimeUnit.SECONDS.toNanos(50);

    private final AtomicInteger handled = new AtomicInteger();
    private final List<String> stored = new CopyOnWriteArrayList<>();
    private final AtomicLong now = new AtomicLong();
    private final List<DatagramSocket> peers = new ArrayList<>();
    private CoapServer server;
    private CoapEndpoint clientEndpoint;
    private BudgetedDeduplicator deduplicator;
    private int port;

    @AfterEach
    void tearDown() {
        peers.forEach(DatagramSocket::close);
        if (clientEndpoint != null) {
            clientEndpoint.destroy();
        }
        if (server != null) {
            server.destroy();
        }
    }

    @Test
    void shouldRefuseRatherThanForgetWhenManyPeersFillTheBudget() throws Exception {
        // Given a 512 KiB budget and a resource answering 1000-byte bodies that are kept for deduplication
        givenAServer(512 << 10, request -> false);

        // When 30 peers each fetch 10 bodies within the span (300 exchanges, more than the budget holds)
        List<Response> answers = new ArrayList<>();
        for (int peer = 0; peer < 30; peer++) {
            DatagramSocket socket = givenAPeer();
            for (int mid = 0; mid < 10; mid++) {
                answers.add(exchange(socket, "data", mid));
                assertThat((long) deduplicator.size() * deduplicator.entryBytes())
                        .isLessThanOrEqualTo(512 << 10);
            }
        }

        // Then the budget's worth was served and kept, the rest refused with a retry hint, and nothing forgotten
        int kept = deduplicator.maxEntries();
        assertThat(handled).hasValue(kept);
        assertThat(answers.subList(0, kept))
                .allSatisfy(a -> assertThat(a.getPayloadSize()).isEqualTo(PAYLOAD_BYTES));
        assertThat(answers.subList(kept, answers.size())).allSatisfy(a -> {
            assertThat(a.getCode()).isEqualTo(ResponseCode.SERVICE_UNAVAILABLE);
            assertThat(a.getOptions().getMaxAge()).isEqualTo(50);
        });
        assertThat(deduplicator.size()).isEqualTo(kept);
        assertThat(deduplicator.refused()).isEqualTo(300 - kept);
        assertThat(deduplicator.retainedMessageBytes())
                .isGreaterThan((long) kept * PAYLOAD_BYTES)
                .isLessThanOrEqualTo(512 << 10);
    }

    @Test
    void shouldAnswerARetransmittedPostFromTheCacheWhenTheBudgetIsFull() throws Exception {
        // Given a budget of three exchanges, filled by three confirmable telemetry POSTs of a Californium client
        givenAServer(3L * entryBytes(), request -> false);
        CoapClient client = givenAClient();
        for (int mid = 1; mid <= 3; mid++) {
            assertThat(post(client, mid, "reading-" + mid).getCode()).isEqualTo(ResponseCode.CHANGED);
        }

        // When the first POST is retransmitted (same message id and token: its ACK was lost) within the span
        now.addAndGet(SPAN_NANOS / 2);
        CoapResponse again = post(client, 1, "reading-1");

        // Then it is answered from the cache and stored once, within the budget
        assertThat(again.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(stored).containsExactly("reading-1", "reading-2", "reading-3");
        assertThat(deduplicator.size()).isEqualTo(3);
        assertThat((long) deduplicator.size() * deduplicator.entryBytes()).isLessThanOrEqualTo(3L * entryBytes());
    }

    @Test
    void shouldRefuseANewPostWithMaxAgeUntilRoomFreesWhenTheBudgetIsFull() throws Exception {
        // Given a budget of three exchanges, filled by three confirmable POSTs
        givenAServer(3L * entryBytes(), request -> false);
        CoapClient client = givenAClient();
        for (int mid = 1; mid <= 3; mid++) {
            post(client, mid, "reading-" + mid);
        }

        // When a fourth POST arrives 20 s later
        now.addAndGet(TimeUnit.SECONDS.toNanos(20));
        CoapResponse refused = post(client, 4, "reading-4");

        // Then it gets 5.03 with Max-Age the seconds until the oldest entry leaves its span, and is not stored
        assertThat(refused.getCode()).isEqualTo(ResponseCode.SERVICE_UNAVAILABLE);
        assertThat(refused.getOptions().getMaxAge()).isEqualTo(30);
        assertThat(stored).hasSize(3);
        assertThat(deduplicator.size()).isEqualTo(3);

        // When the client retries (a new message) after that hint, once the first entries left their span
        now.addAndGet(TimeUnit.SECONDS.toNanos(refused.getOptions().getMaxAge()));
        CoapResponse retried = post(client, 5, "reading-4");

        // Then it is processed and stored once, and the budget still holds
        assertThat(retried.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(stored).containsExactly("reading-1", "reading-2", "reading-3", "reading-4");
        assertThat((long) deduplicator.size() * deduplicator.entryBytes()).isLessThanOrEqualTo(3L * entryBytes());
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
    void shouldForgetExchangesOlderThanTheSpanWhenSwept() {
        // Given a cache with two entries kept at different times
        BudgetedDeduplicator cache = givenACache(16);
        InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 5683);
        cache.findPrevious(new KeyMID(1, peer), anExchange(peer));
        now.addAndGet(SPAN_NANOS / 2);
        cache.findPrevious(new KeyMID(2, peer), anExchange(peer));

        // When the sweep runs after the first one's span
        now.addAndGet(SPAN_NANOS / 2 + 1);
        cache.sweep();

        // Then only the second is left
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.find(new KeyMID(1, peer))).isNull();
        assertThat(cache.find(new KeyMID(2, peer))).isNotNull();
    }

    @Test
    void shouldSweepBehindAReplacedEntryWhenItWasReplacedLater() {
        // Given two entries, the first replaced (a request from a new endpoint context) after the second was kept
        BudgetedDeduplicator cache = givenACache(16);
        InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 5683);
        Exchange first = anExchange(peer);
        cache.findPrevious(new KeyMID(1, peer), first);
        now.addAndGet(1);
        cache.findPrevious(new KeyMID(2, peer), anExchange(peer));
        now.addAndGet(1);
        Exchange replacement = anExchange(peer);
        assertThat(cache.replacePrevious(new KeyMID(1, peer), first, replacement))
                .isTrue();

        // When the sweep runs once the second one's span is over, but not the replacement's
        now.addAndGet(SPAN_NANOS - 1);
        cache.sweep();

        // Then the second is gone (the sweep did not stop at the replaced entry) and the replacement is kept
        assertThat(cache.find(new KeyMID(2, peer))).isNull();
        assertThat(cache.find(new KeyMID(1, peer))).isSameAs(replacement);
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void shouldRefuseAPeersNewExchangeWhenItHoldsItsShareInSpan() {
        // Given a cache whose peers may each hold 16 exchanges' worth of bytes
        BudgetedDeduplicator cache = givenACache(16);
        InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 5683);
        InetSocketAddress other = new InetSocketAddress("127.0.0.1", 5684);

        // When the peer sends 20 messages and another peer one
        for (int mid = 0; mid < 20; mid++) {
            cache.findPrevious(new KeyMID(mid, peer), anExchange(peer));
        }
        Exchange others = anExchange(other);
        cache.findPrevious(new KeyMID(0, other), others);

        // Then its 16 first are kept, not forgotten, the 4 later refused; the other peer is unaffected
        assertThat(cache.find(new KeyMID(0, peer))).isNotNull();
        assertThat(cache.find(new KeyMID(15, peer))).isNotNull();
        assertThat(cache.find(new KeyMID(16, peer))).isNull();
        assertThat(cache.refused()).isEqualTo(4);
        assertThat(cache.find(new KeyMID(0, other))).isSameAs(others);
        assertThat(cache.size()).isEqualTo(17);
    }

    @Test
    void shouldNeverRefuseABusyDeviceOnItsOwnAccountWhenItStaysWithinItsLimits() {
        // Given the gateway's defaults with the plain port bound: a 32 MiB half budget, a 50 % share, and a device
        // limited to a burst of 100 and 50 requests/s over the 50 s span plus one 4 MiB upload in 1 KiB blocks
        long busyDevice = 100 + 50 * 50 + 4096;
        long budget = 32L << 20;
        BudgetedDeduplicator cache = new BudgetedDeduplicator(
                budget,
                1024,
                BudgetedDeduplicator.peerBytes(budget, 50, busyDevice, 1024),
                SPAN_NANOS,
                r -> false,
                now::get);
        InetSocketAddress device = new InetSocketAddress("127.0.0.1", 5683);
        InetSocketAddress other = new InetSocketAddress("127.0.0.1", 5684);

        // When the device sends all of that within one span (more than the 50 % share holds)
        for (int mid = 0; mid < busyDevice; mid++) {
            cache.findPrevious(new KeyMID(mid, device), anExchange(device));
        }
        assertThat(busyDevice * cache.entryBytes()).isGreaterThan(budget / 2);

        // Then every one of its exchanges is kept, and another peer still finds room
        assertThat(cache.refused()).isZero();
        assertThat(cache.size()).isEqualTo((int) busyDevice);
        Exchange others = anExchange(other);
        cache.findPrevious(new KeyMID(0, other), others);
        assertThat(cache.find(new KeyMID(0, other))).isSameAs(others);

        // And one exchange beyond what its limits allow is refused, so that one peer never holds the whole budget
        cache.findPrevious(new KeyMID((int) busyDevice, device), anExchange(device));
        assertThat(cache.refused()).isEqualTo(1);
        assertThat(cache.maxPerPeer()).isLessThan(cache.maxEntries());
    }

    @Test
    void shouldGiveAPeerItsShareOfTheBudgetCappedAtTheBudgetWhenItsLimitsAreHigher() {
        // Given a 1 MiB budget and 2,560-byte entries (1,024-byte messages)
        long budget = 1 << 20;

        // Then a peer gets the larger of its share and what its limits need, never more than the budget
        assertThat(BudgetedDeduplicator.peerBytes(budget, 25, 10, 1024)).isEqualTo(budget / 100 * 25);
        assertThat(BudgetedDeduplicator.peerBytes(budget, 25, 200, 1024)).isEqualTo(200L * 2560);
        assertThat(BudgetedDeduplicator.peerBytes(budget, 25, 100_000, 1024)).isEqualTo(budget);
    }

    @Test
    void shouldSpanTheRetransmissionsOfRfc7252WithTheDefaultParameters() {
        // Given Californium's defaults (ACK_TIMEOUT 2 s, random factor 1.5, MAX_RETRANSMIT 4, doubling)
        Configuration config = Configuration.createStandardWithoutFile();

        // Then the span is MAX_TRANSMIT_SPAN (45 s) plus the allowance
        assertThat(BudgetedDeduplicator.span(config, Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(50));
    }

    private static int entryBytes() {
        return BudgetedDeduplicator.ENTRY_OVERHEAD_BYTES + 1152;
    }

    /** A cache with a 1 MiB budget whose peers may each hold the bytes of {@code perPeer} exchanges. */
    private BudgetedDeduplicator givenACache(int perPeer) {
        long peerBytes = (long) perPeer * (BudgetedDeduplicator.ENTRY_OVERHEAD_BYTES + 1024);
        return new BudgetedDeduplicator(1 << 20, 1024, peerBytes, SPAN_NANOS, r -> false, now::get);
    }

    private static Exchange anExchange(InetSocketAddress peer) {
        return new Exchange(Request.newPost(), peer, Exchange.Origin.REMOTE, null);
    }

    /** A Californium server with the gateway's stack (guarded block-wise, refusal) and the cache on the test clock. */
    private void givenAServer(long budgetBytes, Predicate<Request> reservable) {
        Configuration config = Configuration.createStandardWithoutFile();
        deduplicator = new BudgetedDeduplicator(budgetBytes, 1152, budgetBytes, SPAN_NANOS, reservable, now::get);
        InMemoryMessageExchangeStore store = new InMemoryMessageExchangeStore(config);
        store.setDeduplicator(deduplicator);
        Block1Guard block1 =
                new Block1Guard(new Block1Budget(1 << 20, 1 << 20, SPAN_NANOS, now::get), true, 1 << 20, 1 << 16);
        server = new CoapServer(config);
        server.addEndpoint(CoapEndpoint.builder()
                .setConfiguration(config)
                .setInetSocketAddress(new InetSocketAddress("127.0.0.1", 0))
                .setMessageExchangeStore(store)
                .setCoapStackFactory(GuardedBlockwiseLayer.stackFactory(block1, deduplicator))
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

    private CoapClient givenAClient() {
        clientEndpoint = CoapEndpoint.builder()
                .setConfiguration(Configuration.createStandardWithoutFile())
                .setInetSocketAddress(new InetSocketAddress("127.0.0.1", 0))
                .build();
        CoapClient client = new CoapClient("coap://127.0.0.1:" + port + "/data");
        client.setEndpoint(clientEndpoint);
        // A bound on a lost datagram, not an assertion on time.
        client.setTimeout(30_000L);
        return client;
    }

    /** Sends a confirmable POST with the given message id and a token derived from it, as a retransmission would. */
    private static CoapResponse post(CoapClient client, int mid, String body) throws Exception {
        Request request = Request.newPost();
        request.setMID(mid);
        request.setToken(new byte[] {(byte) (mid >> 8), (byte) mid});
        request.setPayload(body);
        CoapResponse response = client.advanced(request);
        assertThat(response).as("answer to message %d", mid).isNotNull();
        return response;
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

    /** Answers every GET under its name with a 1000-byte body, counting the handler calls; stores POST bodies. */
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

        @Override
        public void handlePOST(CoapExchange exchange) {
            stored.add(exchange.getRequestText());
            exchange.respond(ResponseCode.CHANGED);
        }
    }
}

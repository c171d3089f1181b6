import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.MessageObserverAdapter;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.elements.util.ExecutorsUtil;
import org.eclipse.californium.elements.util.NamedThreadFactory;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;

/**
 * DTLS load for bench/coap: one Scandium client endpoint per device (PSK), all sharing one small executor,
 * each keeping W confirmable {@code POST /telemetry} requests outstanding. Payloads are pre-encoded per
 * request from a byte template.
 */
final class DtlsCoapLoad implements CoapBench.Load {

    private final List<Endpoint> endpoints = new ArrayList<>();
    private final ScheduledExecutorService main;
    private final ScheduledExecutorService secondary;
    private final String uri;
    private final int inflight;
    private final long tsBase = System.currentTimeMillis();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong ackedTotal = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final long[] latencies = new long[4_000_000];
    private final AtomicLong latencyCount = new AtomicLong();
    private final AtomicLong[] seq;
    private final CountDownLatch drained;
    private volatile boolean measuring;
    private volatile boolean stopping;

    DtlsCoapLoad(InetSocketAddress server, List<String> ids, List<byte[]> keys, int inflight) throws Exception {
        CoapConfig.register();
        UdpConfig.register();
        DtlsConfig.register();
        this.uri = "coaps://" + server.getHostString() + ":" + server.getPort() + "/telemetry";
        this.inflight = inflight;
        this.seq = new AtomicLong[ids.size()];
        this.drained = new CountDownLatch(ids.size() * inflight);
        main = ExecutorsUtil.newScheduledThreadPool(2, new NamedThreadFactory("bench#"));
        secondary = ExecutorsUtil.newDefaultSecondaryScheduler("bench-timer#");
        for (int i = 0; i < ids.size(); i++) {
            seq[i] = new AtomicLong();
            Configuration config = Configuration.createStandardWithoutFile();
            config.set(UdpConfig.UDP_RECEIVER_THREAD_COUNT, 1);
            config.set(UdpConfig.UDP_SENDER_THREAD_COUNT, 1);
            config.set(CoapConfig.MAX_ACTIVE_PEERS, 10);
            config.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY);
            config.set(DtlsConfig.DTLS_RECEIVER_THREAD_COUNT, 1);
            config.set(DtlsConfig.DTLS_CONNECTOR_THREAD_COUNT, 1);
            config.set(DtlsConfig.DTLS_MAX_CONNECTIONS, 10);
            Endpoint endpoint = CoapEndpoint.builder().setConfiguration(config)
                    .setConnector(new DTLSConnector(DtlsConnectorConfig.builder(config)
                            .setAddress(new InetSocketAddress("127.0.0.1", 0))
                            .setAdvancedPskStore(new AdvancedSinglePskStore(ids.get(i), keys.get(i))).build()))
                    .build();
            endpoint.setExecutors(main, secondary);
            endpoint.start();
            endpoints.add(endpoint);
        }
    }

    @Override
    public void start() {
        for (int c = 0; c < endpoints.size(); c++) {
            for (int w = 0; w < inflight; w++) {
                send(c);
            }
        }
    }

    private void send(int client) {
        if (stopping) {
            drained.countDown();
            return;
        }
        long n = seq[client].incrementAndGet();
        Request request = Request.newPost();
        request.setURI(uri);
        request.setPayload(("{\"ts\":" + (tsBase + n) + ",\"seq\":" + n + "}").getBytes());
        request.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_JSON);
        long sent = System.nanoTime();
        request.addMessageObserver(new MessageObserverAdapter() {
            @Override
            public void onResponse(Response response) {
                if (response.getCode() == ResponseCode.CHANGED) {
                    ackedTotal.incrementAndGet();
                    if (measuring) {
                        acked.incrementAndGet();
                        long i = latencyCount.getAndIncrement();
                        if (i < latencies.length) {
                            latencies[(int) i] = System.nanoTime() - sent;
                        }
                    }
                } else {
                    failed.incrementAndGet();
                }
                send(client);
            }

            @Override
            protected void failed() {
                failed.incrementAndGet();
                send(client);
            }
        });
        endpoints.get(client).sendRequest(request);
    }

    @Override
    public void measure(boolean on) {
        measuring = on;
    }

    @Override
    public void stopAndDrain() throws InterruptedException {
        stopping = true;
        drained.await(30, TimeUnit.SECONDS);
        endpoints.forEach(Endpoint::destroy);
        main.shutdownNow();
        secondary.shutdownNow();
    }

    @Override
    public long acked() {
        return acked.get();
    }

    @Override
    public long ackedTotal() {
        return ackedTotal.get();
    }

    @Override
    public long failed() {
        return failed.get();
    }

    @Override
    public long retransmitted() {
        return 0;
    }

    @Override
    public long[] latencies() {
        return java.util.Arrays.copyOf(latencies, (int) Math.min(latencies.length, latencyCount.get()));
    }
}

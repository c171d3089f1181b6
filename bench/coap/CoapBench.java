import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;

/**
 * Load generator for bench/coap: N clients (one UDP/DTLS endpoint and one device each) each keep W
 * confirmable telemetry POSTs in flight; a POST counts when its 2.04 arrives, which the gateway sends only
 * after the reading is committed. Afterwards the persisted rows are counted through the REST API.
 * Usage: java -cp <classpath> CoapBench.java <http-base> <admin-token> <coap-port> <dtls-port> <mode plain|dtls>
 *        <clients> <inflight> <seconds>
 */
public class CoapBench {

    public static void main(String[] args) throws Exception {
        String http = args[0];
        String token = args[1];
        int coapPort = Integer.parseInt(args[2]);
        int dtlsPort = Integer.parseInt(args[3]);
        boolean dtls = args[4].equals("dtls");
        int clients = Integer.parseInt(args[5]);
        int inflight = Integer.parseInt(args[6]);
        int seconds = Integer.parseInt(args[7]);
        CoapConfig.register();
        UdpConfig.register();
        DtlsConfig.register();

        HttpClient rest = HttpClient.newHttpClient();
        String run = Long.toString(System.currentTimeMillis(), 36);
        List<String> ids = new ArrayList<>();
        List<byte[]> keys = new ArrayList<>();
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < clients; i++) {
            byte[] psk = new byte[16];
            random.nextBytes(psk);
            String id = "bench-" + args[4] + "-" + run + "-" + i;
            String body = "{\"id\":\"" + id + "\",\"type\":\"sensor\",\"credentials\":{\"psk\":\""
                    + HexFormat.of().formatHex(psk) + "\"}}";
            HttpResponse<String> created = rest.send(HttpRequest.newBuilder(URI.create(http + "/api/v1/devices"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() != 201) {
                throw new IllegalStateException("device registration failed: " + created.body());
            }
            ids.add(id);
            keys.add(psk);
        }

        ScheduledExecutorService main = ExecutorsUtil.newScheduledThreadPool(2, new org.eclipse.californium.elements.util.NamedThreadFactory("bench#"));
        ScheduledExecutorService secondary = ExecutorsUtil.newDefaultSecondaryScheduler("bench-timer#");
        List<Endpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Configuration config = Configuration.createStandardWithoutFile();
            config.set(UdpConfig.UDP_RECEIVER_THREAD_COUNT, 1);
            config.set(UdpConfig.UDP_SENDER_THREAD_COUNT, 1);
            config.set(CoapConfig.MAX_ACTIVE_PEERS, 10);
            CoapEndpoint.Builder builder = CoapEndpoint.builder().setConfiguration(config);
            if (dtls) {
                config.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY);
                config.set(DtlsConfig.DTLS_RECEIVER_THREAD_COUNT, 1);
                config.set(DtlsConfig.DTLS_CONNECTOR_THREAD_COUNT, 1);
                config.set(DtlsConfig.DTLS_MAX_CONNECTIONS, 10);
                builder.setConnector(new DTLSConnector(DtlsConnectorConfig.builder(config)
                        .setAddress(new InetSocketAddress("127.0.0.1", 0))
                        .setAdvancedPskStore(new AdvancedSinglePskStore(ids.get(i), keys.get(i))).build()));
            } else {
                builder.setInetSocketAddress(new InetSocketAddress("127.0.0.1", 0));
            }
            Endpoint endpoint = builder.build();
            endpoint.setExecutors(main, secondary);
            endpoint.start();
            endpoints.add(endpoint);
        }

        String base = (dtls ? "coaps://127.0.0.1:" + dtlsPort : "coap://127.0.0.1:" + coapPort) + "/telemetry";
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean stopping = new AtomicBoolean(false);
        AtomicLong acked = new AtomicLong();
        AtomicLong ackedTotal = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long[][] latencies = new long[clients][];
        int[] latencyCount = new int[clients];
        for (int i = 0; i < clients; i++) {
            latencies[i] = new long[1 << 16];
        }
        AtomicLong[] seq = new AtomicLong[clients];
        long tsBase = System.currentTimeMillis();
        CountDownLatch drained = new CountDownLatch(clients * inflight);
        for (int c = 0; c < clients; c++) {
            seq[c] = new AtomicLong();
            String uri = dtls ? base : base + "/" + ids.get(c);
            for (int w = 0; w < inflight; w++) {
                send(endpoints.get(c), uri, c, seq[c], tsBase, measuring, stopping, acked, ackedTotal, failed,
                        latencies, latencyCount, drained);
            }
        }
        Thread.sleep(3_000);
        measuring.set(true);
        long started = System.nanoTime();
        long ackedAtStart = acked.get();
        Thread.sleep(seconds * 1000L);
        long ackedInWindow = acked.get() - ackedAtStart;
        double elapsed = (System.nanoTime() - started) / 1e9;
        measuring.set(false);
        stopping.set(true);
        drained.await(30, TimeUnit.SECONDS);

        long[] all = new long[Arrays.stream(latencyCount).sum()];
        int k = 0;
        for (int c = 0; c < clients; c++) {
            synchronized (latencies[c]) {
                System.arraycopy(latencies[c], 0, all, k, latencyCount[c]);
                k += latencyCount[c];
            }
        }
        Arrays.sort(all);
        long persisted = 0;
        for (String id : ids) {
            HttpResponse<String> rows = rest.send(HttpRequest.newBuilder(URI.create(http + "/api/v1/devices/" + id
                    + "/telemetry?metric=seq&limit=100000&from=1970-01-01T00:00:00Z&to=2100-01-01T00:00:00Z"))
                    .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
            persisted += rows.body().split("\"metric\"", -1).length - 1;
        }
        System.out.printf("mode=%s clients=%d inflight=%d window=%.1fs acked=%d rate=%.0f/s p50=%.2fms p99=%.2fms "
                + "failed=%d ackedTotal=%d persisted=%d%n", args[4], clients, inflight, elapsed, ackedInWindow,
                ackedInWindow / elapsed, pct(all, 0.50), pct(all, 0.99), failed.get(), ackedTotal.get(), persisted);
        endpoints.forEach(Endpoint::destroy);
        main.shutdownNow();
        secondary.shutdownNow();
        if (persisted < ackedTotal.get()) {
            System.out.println("ERROR: fewer rows persisted than acknowledged");
            System.exit(1);
        }
        System.exit(0);
    }

    private static void send(Endpoint endpoint, String uri, int client, AtomicLong seq, long tsBase,
            AtomicBoolean measuring, AtomicBoolean stopping, AtomicLong acked, AtomicLong ackedTotal,
            AtomicLong failed, long[][] latencies, int[] latencyCount, CountDownLatch drained) {
        if (stopping.get()) {
            drained.countDown();
            return;
        }
        long n = seq.incrementAndGet();
        Request request = Request.newPost();
        request.setURI(uri);
        request.setPayload("{\"ts\":" + (tsBase + n) + ",\"seq\":" + n + "}");
        request.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_JSON);
        long sent = System.nanoTime();
        request.addMessageObserver(new MessageObserverAdapter() {
            @Override
            public void onResponse(Response response) {
                if (response.getCode() == ResponseCode.CHANGED) {
                    ackedTotal.incrementAndGet();
                    if (measuring.get()) {
                        acked.incrementAndGet();
                        long[] mine = latencies[client];
                        synchronized (mine) {
                            if (latencyCount[client] < mine.length) {
                                mine[latencyCount[client]++] = System.nanoTime() - sent;
                            }
                        }
                    }
                } else {
                    failed.incrementAndGet();
                }
                send(endpoint, uri, client, seq, tsBase, measuring, stopping, acked, ackedTotal, failed, latencies,
                        latencyCount, drained);
            }

            @Override
            protected void failed() {
                failed.incrementAndGet();
                send(endpoint, uri, client, seq, tsBase, measuring, stopping, acked, ackedTotal, failed, latencies,
                        latencyCount, drained);
            }
        });
        endpoint.sendRequest(request);
    }

    private static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, p * sorted.length)] / 1e6;
    }
}

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Load generator for bench/coap: N clients (one UDP socket or DTLS endpoint and one device each) each keep W
 * confirmable telemetry POSTs in flight; a POST counts when its 2.04 arrives, which the gateway sends only
 * after the reading is committed. Afterwards the persisted rows are counted through the REST API. Plain
 * CoAP uses {@link RawCoapLoad} (pre-encoded datagrams, one thread); DTLS uses Californium/Scandium clients
 * ({@link DtlsCoapLoad}). Also prints the CPU the gateway, its PostgreSQL, this generator and the whole
 * machine used during the window, since all of them share the cores.
 * The window starts after a warm-up (system property warmup.seconds, default 10) so the JIT has compiled
 * the gateway's hot paths.
 * Usage: CoapBench <http-base> <admin-token> <coap-port> <dtls-port> <plain|dtls> <clients> <inflight> <seconds>
 *        <gateway-pid> <data-dir>
 */
public class CoapBench {

    public static void main(String[] args) throws Exception {
        // Californium logs through slf4j-jboss-logmanager, which enables DEBUG (and formats every message)
        // unless the JBoss LogManager is installed and told otherwise.
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        Logger.getLogger("").setLevel(Level.WARNING);
        String http = args[0];
        String token = args[1];
        boolean dtls = args[4].equals("dtls");
        int clients = Integer.parseInt(args[5]);
        int inflight = Integer.parseInt(args[6]);
        int seconds = Integer.parseInt(args[7]);
        long gatewayPid = Long.parseLong(args[8]);
        String dataDir = args[9];
        HttpClient rest = HttpClient.newHttpClient();
        List<String> ids = new ArrayList<>();
        List<byte[]> keys = new ArrayList<>();
        register(rest, http, token, args[4], clients, ids, keys);

        Load load = dtls ? new DtlsCoapLoad(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[3])), ids, keys,
                inflight) : new PlainLoad(new RawCoapLoad(new InetSocketAddress("127.0.0.1",
                Integer.parseInt(args[2])), ids, inflight, 4_000_000));
        load.start();
        Thread.sleep(Long.getLong("warmup.seconds", 10) * 1000L);
        CpuMeter cpu = new CpuMeter(gatewayPid, dataDir);
        load.measure(true);
        long started = System.nanoTime();
        long ackedAtStart = load.acked();
        Thread.sleep(seconds * 1000L);
        long ackedInWindow = load.acked() - ackedAtStart;
        double elapsed = (System.nanoTime() - started) / 1e9;
        String cpuUse = cpu.report(elapsed);
        load.measure(false);
        load.stopAndDrain();

        long[] all = load.latencies();
        Arrays.sort(all);
        long persisted = 0;
        for (String id : ids) {
            HttpResponse<String> rows = rest.send(HttpRequest.newBuilder(URI.create(http + "/api/v1/devices/" + id
                    + "/telemetry?metric=seq&limit=100000&from=1970-01-01T00:00:00Z&to=2100-01-01T00:00:00Z"))
                    .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
            persisted += rows.body().split("\"metric\"", -1).length - 1;
        }
        System.out.printf("mode=%s clients=%d inflight=%d window=%.1fs acked=%d rate=%.0f/s p50=%.2fms p99=%.2fms "
                + "failed=%d retransmitted=%d ackedTotal=%d persisted=%d %s%n", args[4], clients, inflight, elapsed,
                ackedInWindow, ackedInWindow / elapsed, pct(all, 0.50), pct(all, 0.99), load.failed(),
                load.retransmitted(), load.ackedTotal(), persisted, cpuUse);
        if (persisted < load.ackedTotal()) {
            System.out.println("ERROR: fewer rows persisted than acknowledged");
            System.exit(1);
        }
        System.exit(0);
    }

    private static void register(HttpClient rest, String http, String token, String mode, int clients,
            List<String> ids, List<byte[]> keys) throws Exception {
        String run = Long.toString(System.currentTimeMillis(), 36);
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < clients; i++) {
            byte[] psk = new byte[16];
            random.nextBytes(psk);
            String id = "bench-" + mode + "-" + run + "-" + i;
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
    }

    private static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, p * sorted.length)] / 1e6;
    }

    /** What the main loop needs from either generator. */
    interface Load {
        void start();

        void measure(boolean on);

        void stopAndDrain() throws InterruptedException;

        long acked();

        long ackedTotal();

        long failed();

        long retransmitted();

        long[] latencies();
    }

    /** {@link RawCoapLoad} on its one thread. */
    static final class PlainLoad implements Load {
        private final RawCoapLoad raw;
        private final Thread thread;

        PlainLoad(RawCoapLoad raw) {
            this.raw = raw;
            this.thread = new Thread(raw, "raw-coap-load");
        }

        public void start() {
            thread.start();
        }

        public void measure(boolean on) {
            raw.measure(on);
        }

        public void stopAndDrain() throws InterruptedException {
            raw.stop();
            thread.join(30_000);
        }

        public long acked() {
            return raw.acked;
        }

        public long ackedTotal() {
            return raw.ackedTotal;
        }

        public long failed() {
            return raw.failed;
        }

        public long retransmitted() {
            return raw.retransmitted;
        }

        public long[] latencies() {
            return raw.latencies();
        }
    }

    /**
     * CPU seconds used during the window by the gateway JVM, its PostgreSQL (postmaster found by the data
     * dir, plus its children), this generator, and the whole machine (from /proc/stat, other users included).
     */
    static final class CpuMeter {
        private final long gatewayPid;
        private final String dataDir;
        private final double[] start;

        CpuMeter(long gatewayPid, String dataDir) throws Exception {
            this.gatewayPid = gatewayPid;
            this.dataDir = dataDir;
            this.start = sample();
        }

        String report(double elapsed) throws Exception {
            double[] end = sample();
            return String.format("cpu(cores): gateway=%.2f postgres=%.2f loadgen=%.2f machine=%.2f/%d",
                    (end[0] - start[0]) / elapsed, (end[1] - start[1]) / elapsed, (end[2] - start[2]) / elapsed,
                    (end[3] - start[3]) / elapsed, Runtime.getRuntime().availableProcessors());
        }

        private double[] sample() throws Exception {
            double gateway = cpu(ProcessHandle.of(gatewayPid).orElseThrow());
            double postgres = ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().map(c -> c.contains(dataDir) && c.contains("postgres"))
                            .orElse(false))
                    .mapToDouble(p -> cpu(p) + p.descendants().mapToDouble(CpuMeter::cpu).sum()).sum();
            double self = cpu(ProcessHandle.current());
            String[] total = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            double busy = 0;
            for (int i = 1; i < total.length; i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(total[i]);
                }
            }
            return new double[] {gateway, postgres, self, busy / 100.0};
        }

        private static double cpu(ProcessHandle p) {
            return p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L) / 1e9;
        }
    }
}

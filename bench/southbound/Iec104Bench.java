import dev.mecgw.app.ingest.GroupCommitWriter;
import dev.mecgw.app.ingest.IngestConfig;
import dev.mecgw.app.ingest.TelemetryIngest;
import dev.mecgw.app.southbound.iec104.Apdu;
import dev.mecgw.app.southbound.iec104.ApciCodec;
import dev.mecgw.app.southbound.iec104.Asdu;
import dev.mecgw.app.southbound.iec104.AsduCodec;
import dev.mecgw.app.southbound.iec104.Cot;
import dev.mecgw.app.southbound.iec104.Cp56Time;
import dev.mecgw.app.southbound.iec104.Iec104Device;
import dev.mecgw.app.southbound.iec104.Iec104Options;
import dev.mecgw.app.southbound.iec104.Iec104Point;
import dev.mecgw.app.southbound.iec104.Iec104Station;
import dev.mecgw.app.southbound.iec104.Iec104TelemetryBridge;
import dev.mecgw.app.southbound.iec104.InformationObject;
import dev.mecgw.app.southbound.iec104.TypeId;
import dev.mecgw.app.telemetry.TelemetryPartitions;
import dev.mecgw.app.telemetry.TelemetryStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * bench/southbound (IEC 104): spontaneous float updates per second from N outstations, decoded by the gateway's
 * controlling stations and committed to a durable embedded PostgreSQL (fsync on, synchronous_commit on) through the
 * gateway's group-commit writer; each ASDU is acknowledged to its outstation only after its commit. The outstations
 * send M_ME_TF_1 (float + CP56Time2a, COT 3) as fast as the k window lets them. Generator and gateway share the JVM
 * and the machine's cores.
 *
 * <p>Usage: Iec104Bench [outstations=50] [seconds=20] [warmup=5] [objectsPerAsdu=1] [commit|receipt]
 */
public final class Iec104Bench {

    public static void main(String[] args) throws Exception {
        int outstations = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int perAsdu = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        // "commit" (the gateway): an ASDU is acknowledged after its commit; "receipt": acknowledged on decode while
        // the store runs behind (what a gateway without ack-after-commit would do), to show what durability costs.
        boolean ackOnReceipt = args.length > 4 && args[4].equals("receipt");
        Path data = Files.createTempDirectory("mecgw-bench-iec104");
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(data.resolve("pg"))
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .start();
        DataSource ds = pg.getPostgresDatabase();
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        new TelemetryPartitions(ds, Clock.systemUTC()).maintain(1, Duration.ofDays(30));
        GroupCommitWriter writer =
                new GroupCommitWriter(TelemetryStore.postgres(ds), new BenchIngestConfig(), new SimpleMeterRegistry());
        TelemetryIngest ingest = writer::write;
        AtomicLong decoded = new AtomicLong();
        Iec104TelemetryBridge bridge = new Iec104TelemetryBridge(ingest, change -> {});
        Vertx vertx = Vertx.vertx();
        List<Iec104Station> stations = new ArrayList<>();
        List<Outstation> peers = new ArrayList<>();
        for (int i = 0; i < outstations; i++) {
            Outstation o = new Outstation(vertx, i + 1, perAsdu);
            peers.add(o);
            List<Iec104Point> points = new ArrayList<>();
            for (int p = 0; p < perAsdu; p++) {
                points.add(new Iec104Point(1000 + p, "f" + p));
            }
            Iec104Device device = new Iec104Device(
                    "rtu-" + (i + 1), "127.0.0.1", o.port(), i + 1, ZoneOffset.UTC, points, List.of());
            Iec104Station station = new Iec104Station(
                    vertx,
                    device,
                    new dev.mecgw.app.southbound.iec104.Iec104Listener() {
                        @Override
                        public java.util.concurrent.CompletionStage<Void> onReadings(
                                String id, List<dev.mecgw.app.southbound.iec104.Iec104Reading> r) {
                            decoded.addAndGet(r.size());
                            var stored = bridge.onReadings(id, r);
                            return ackOnReceipt ? java.util.concurrent.CompletableFuture.completedFuture(null) : stored;
                        }

                        @Override
                        public void onState(String id, Iec104Station.State s, String reason) {}
                    },
                    Iec104Options.defaults(),
                    Clock.systemUTC());
            stations.add(station);
            station.start();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (stations.stream().anyMatch(s -> s.state() != Iec104Station.State.ONLINE)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("stations did not come online");
            }
            Thread.sleep(50);
        }
        Thread.sleep(warmup * 1000L);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long rows0 = rows(ds);
        long dec0 = decoded.get();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long rows1 = rows(ds);
        long dec1 = decoded.get();
        long cpu1 = os.getProcessCpuTime();
        double elapsed = (System.nanoTime() - t0) / 1e9;
        double stored = (rows1 - rows0) / elapsed;
        System.out.printf(
                "ack=%s outstations=%d objectsPerAsdu=%d window=%.1fs decoded=%.0f/s stored=%.0f/s jvm-cpu=%.0f%% (of one core,"
                        + " generator included) cores=%d%n",
                ackOnReceipt ? "on-receipt" : "after-commit",
                outstations,
                perAsdu,
                elapsed,
                (dec1 - dec0) / elapsed,
                stored,
                100.0 * (cpu1 - cpu0) / 1e9 / elapsed,
                Runtime.getRuntime().availableProcessors());
        for (Iec104Station s : stations) {
            s.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        writer.close();
        pg.close();
        System.exit(0);
    }

    private static long rows(DataSource ds) throws Exception {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM telemetry")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A load outstation: answers STARTDT and GI, then keeps k I frames of spontaneous floats in flight. */
    static final class Outstation {
        static final int K = 12;
        final NetServer server;
        final int ca;
        final int perAsdu;
        final AsduCodec codec = new AsduCodec(ZoneOffset.UTC);

        Outstation(Vertx vertx, int ca, int perAsdu) throws Exception {
            this.ca = ca;
            this.perAsdu = perAsdu;
            server = vertx.createNetServer().connectHandler(this::serve);
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }

        int port() {
            return server.actualPort();
        }

        void serve(NetSocket socket) {
            int[] seq = {0, 0, 0}; // send, acked, received
            boolean[] started = {false};
            float[] value = {0};
            long[] lastMillis = {0};
            Runnable pump = () -> {
                while (started[0] && Math.floorMod(seq[0] - seq[1], 32768) < K) {
                    List<InformationObject> objects = new ArrayList<>(perAsdu);
                    // Strictly increasing time tags: a reading is keyed by (device, metric, ts), and a burst of k
                    // frames within one millisecond would otherwise collapse into one stored row.
                    lastMillis[0] = Math.max(lastMillis[0] + 1, System.currentTimeMillis());
                    Cp56Time now = Cp56Time.of(Instant.ofEpochMilli(lastMillis[0]));
                    for (int p = 0; p < perAsdu; p++) {
                        objects.add(new InformationObject(1000 + p, value[0]++, 0, now));
                    }
                    byte[] asdu = codec.encode(Asdu.of(TypeId.M_ME_TF_1, Cot.SPONTANEOUS, ca, objects));
                    socket.write(Buffer.buffer(ApciCodec.encode(new Apdu.Information(seq[0], seq[2], asdu))));
                    seq[0] = (seq[0] + 1) % 32768;
                }
            };
            var framer = new dev.mecgw.app.southbound.iec104.ApduFramer(frame -> {
                Apdu apdu = ApciCodec.decode(frame);
                if (apdu instanceof Apdu.Unnumbered u) {
                    if (u.function() == Apdu.Function.STARTDT_ACT) {
                        socket.write(Buffer.buffer(new byte[] {0x68, 4, 0x0B, 0, 0, 0}));
                        started[0] = true;
                    } else if (u.function() == Apdu.Function.TESTFR_ACT) {
                        socket.write(Buffer.buffer(new byte[] {0x68, 4, (byte) 0x83, 0, 0, 0}));
                    }
                } else if (apdu instanceof Apdu.Supervisory s) {
                    seq[1] = s.recvSeq();
                } else if (apdu instanceof Apdu.Information i) {
                    seq[1] = i.recvSeq();
                    seq[2] = (seq[2] + 1) % 32768;
                    // The general interrogation: confirm and terminate (the load is spontaneous only).
                    byte[] con = i.asdu().clone();
                    con[2] = Cot.ACTIVATION_CON;
                    byte[] term = i.asdu().clone();
                    term[2] = Cot.ACTIVATION_TERMINATION;
                    for (byte[] a : List.of(con, term)) {
                        socket.write(Buffer.buffer(ApciCodec.encode(new Apdu.Information(seq[0], seq[2], a))));
                        seq[0] = (seq[0] + 1) % 32768;
                    }
                }
                pump.run();
            });
            socket.handler(b -> framer.feed(b.getBytes()));
        }
    }

    /** The gateway's ingest defaults ({@code mecgw.ingest.*}). */
    static final class BenchIngestConfig implements IngestConfig {
        public int batchSize() {
            return 2000;
        }

        public Duration linger() {
            return Duration.ofMillis(2);
        }

        public int queueCapacity() {
            return 100_000;
        }

        public long queueMaxBytes() {
            return 67_108_864;
        }

        public long deviceMaxBytes() {
            return 8_388_608;
        }

        public int maxReadingsPerMessage() {
            return 10_000;
        }

        public int writers() {
            return 2;
        }

        public Instant earliestTimestamp() {
            return Instant.parse("2000-01-01T00:00:00Z");
        }

        public Duration maxFutureSkew() {
            return Duration.ofHours(24);
        }
    }
}

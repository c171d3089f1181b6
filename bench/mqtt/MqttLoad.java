import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load generator for bench/mqtt (run with the Java source launcher). MQTT 3.1.1 so that both brokers
 * see the same packets. Prints one "RESULT key=value ..." line per run.
 *
 * <pre>
 * fanin     host port qos seconds publishers      msg/s received by one subscriber on '#'
 * latency   host port rate seconds                p50/p99 end-to-end latency at a fixed rate
 * idle      host port count pid                   RSS of pid before/after opening count connections
 * telemetry host port seconds credentials-file    acked QoS 1 msg/s on devices/{id}/telemetry
 * sustained host port seconds publishers rate pid metrics-url|-
 *                                                 QoS 1 fan-in at a fixed offered rate; samples the broker's
 *                                                 VmRSS (and, with a metrics URL, JVM heap) every 5 s
 * </pre>
 */
public class MqttLoad {

    static final int WINDOW = 64;
    static final byte[] PAYLOAD = new byte[64];

    public static void main(String[] args) throws Exception {
        String host = args[1];
        int port = Integer.parseInt(args[2]);
        switch (args[0]) {
            case "fanin" -> fanIn(host, port, Integer.parseInt(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]));
            case "latency" -> latency(host, port, Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            case "idle" -> idle(host, port, Integer.parseInt(args[3]), Long.parseLong(args[4]));
            case "telemetry" -> telemetry(host, port, Integer.parseInt(args[3]), Path.of(args[4]));
            case "sustained" -> Sustained.run(host, port, Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]), Long.parseLong(args[6]), args[7]);
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.exit(0);
    }

    static Mqtt3AsyncClient client(String host, int port, String user, String password) {
        // A device may only use client ids bound to it (issue 15.8): "<deviceId>-…"; anonymous clients any id.
        String id = (user != null ? user + "-" : "b-") + UUID.randomUUID();
        Mqtt3AsyncClient c = MqttClient.builder().useMqttVersion3().identifier(id)
                .serverHost(host).serverPort(port).buildAsync();
        var connect = c.connectWith().keepAlive(300);
        if (user != null) {
            connect.simpleAuth().username(user).password(password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth();
        }
        connect.send().join();
        return c;
    }

    private static void fanIn(String host, int port, int qos, int seconds, int publishers) throws Exception {
        AtomicLong received = new AtomicLong();
        Mqtt3AsyncClient sub = client(host, port, null, null);
        sub.subscribeWith().topicFilter("bench/#").qos(MqttQos.fromCode(qos))
                .callback(p -> received.incrementAndGet()).send().join();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < publishers; i++) {
            Mqtt3AsyncClient pub = client(host, port, null, null);
            String topic = "bench/" + i;
            Thread t = new Thread(() -> publishLoop(pub, topic, qos, running));
            t.start();
            threads.add(t);
        }
        Thread.sleep(2000); // warm-up
        long start = received.get();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long count = received.get() - start;
        double rate = count / ((System.nanoTime() - t0) / 1e9);
        running.set(false);
        for (Thread t : threads) {
            t.join(5000);
        }
        System.out.printf("RESULT fanin qos=%d publishers=%d msgs=%d rate=%.0f%n", qos, publishers, count, rate);
    }

    private static void publishLoop(Mqtt3AsyncClient pub, String topic, int qos, AtomicBoolean running) {
        Semaphore window = new Semaphore(WINDOW);
        while (running.get()) {
            window.acquireUninterruptibly();
            pub.publishWith().topic(topic).qos(MqttQos.fromCode(qos)).payload(PAYLOAD).send()
                    .whenComplete((r, e) -> window.release());
        }
    }

    private static void latency(String host, int port, int rate, int seconds) throws Exception {
        int warmup = rate * 2;
        int total = rate * seconds;
        long[] latencies = new long[total];
        AtomicLong n = new AtomicLong();
        AtomicLong skipped = new AtomicLong();
        Mqtt3AsyncClient sub = client(host, port, null, null);
        sub.subscribeWith().topicFilter("lat/#").qos(MqttQos.AT_MOST_ONCE).callback(p -> {
            long sent = ByteBuffer.wrap(p.getPayloadAsBytes()).getLong();
            // The first two seconds warm up the JIT of both ends and are not measured.
            if (skipped.get() < warmup && skipped.incrementAndGet() <= warmup) {
                return;
            }
            int i = (int) n.getAndIncrement();
            if (i < total) {
                latencies[i] = System.nanoTime() - sent;
            }
        }).send().join();
        Mqtt3AsyncClient pub = client(host, port, null, null);
        long interval = 1_000_000_000L / rate;
        long next = System.nanoTime();
        for (int i = 0; i < total + warmup; i++) {
            while (System.nanoTime() < next) {
                Thread.onSpinWait();
            }
            byte[] payload = ByteBuffer.allocate(64).putLong(System.nanoTime()).array();
            pub.publishWith().topic("lat/1").qos(MqttQos.AT_MOST_ONCE).payload(payload).send();
            next += interval;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (n.get() < total && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        int got = (int) Math.min(n.get(), total);
        if (got == 0) {
            System.out.println("RESULT latency rate=" + rate + " received=0 p50_ms=n/a p99_ms=n/a");
            return;
        }
        long[] sorted = Arrays.copyOf(latencies, got);
        Arrays.sort(sorted);
        System.out.printf("RESULT latency rate=%d received=%d p50_ms=%.3f p99_ms=%.3f%n", rate, got,
                sorted[got / 2] / 1e6, sorted[(int) (got * 0.99)] / 1e6);
    }

    private static void idle(String host, int port, int count, long pid) throws Exception {
        long before = rssKib(pid);
        List<CompletableFuture<?>> connects = new ArrayList<>();
        List<Mqtt3AsyncClient> clients = new ArrayList<>();
        Semaphore pending = new Semaphore(200);
        for (int i = 0; i < count; i++) {
            Mqtt3AsyncClient c = MqttClient.builder().useMqttVersion3().identifier("idle-" + i)
                    .serverHost(host).serverPort(port).buildAsync();
            clients.add(c);
            pending.acquire();
            connects.add(c.connectWith().keepAlive(600).send().whenComplete((r, e) -> pending.release()));
        }
        long ok = 0;
        for (CompletableFuture<?> f : connects) {
            try {
                f.get(60, TimeUnit.SECONDS);
                ok++;
            } catch (Exception e) {
                // counted as not held
            }
        }
        Thread.sleep(3000);
        long after = rssKib(pid);
        System.out.printf("RESULT idle connections=%d held=%d rss_before_mib=%.1f rss_after_mib=%.1f added_mib=%.1f%n",
                count, ok, before / 1024.0, after / 1024.0, (after - before) / 1024.0);
    }

    static long rssKib(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }

    private static void telemetry(String host, int port, int seconds, Path credentials) throws Exception {
        List<String> devices = Files.readAllLines(credentials);
        AtomicLong acked = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        AtomicLong seq = new AtomicLong(System.currentTimeMillis() * 1000);
        for (String line : devices) {
            String[] up = line.split(":");
            Mqtt3AsyncClient pub = client(host, port, up[0], up[1]);
            String topic = "devices/" + up[0] + "/telemetry";
            Thread t = new Thread(() -> {
                Semaphore window = new Semaphore(WINDOW);
                while (running.get()) {
                    window.acquireUninterruptibly();
                    // A distinct timestamp per reading: the primary key would fold duplicates.
                    long micros = seq.incrementAndGet();
                    String ts = java.time.Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000).toString();
                    byte[] body = ("{\"temp\":21.5,\"ts\":\"" + ts + "\"}").getBytes(StandardCharsets.UTF_8);
                    pub.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(body).send()
                            .whenComplete((r, e) -> {
                                (e == null ? acked : failed).incrementAndGet();
                                window.release();
                            });
                }
            });
            t.start();
            threads.add(t);
        }
        Thread.sleep(2000);
        long start = acked.get();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long count = acked.get() - start;
        double rate = count / ((System.nanoTime() - t0) / 1e9);
        running.set(false);
        for (Thread t : threads) {
            t.join(5000);
        }
        System.out.printf("RESULT telemetry devices=%d acked=%d failed=%d rate=%.0f%n", devices.size(), count,
                failed.get(), rate);
    }
}

/**
 * Sustained QoS 1 fan-in at a fixed offered rate (publishers x paced 64-byte publishes, 64 in flight each) to
 * one QoS 1 subscriber, sampling the broker's memory, so that growth under steady load shows and a peak
 * throughput run's queueing does not. The first 5 s warm up (JIT, heap sizing) and are not measured.
 */
class Sustained {

    private static final int SAMPLE_SECONDS = 5;
    private static final int WARMUP_SECONDS = 5;

    static void run(String host, int port, int seconds, int publishers, int rate, long pid, String metricsUrl)
            throws Exception {
        AtomicLong received = new AtomicLong();
        AtomicLong sent = new AtomicLong();
        Mqtt3AsyncClient sub = MqttLoad.client(host, port, null, null);
        sub.subscribeWith().topicFilter("bench/#").qos(MqttQos.AT_LEAST_ONCE)
                .callback(p -> received.incrementAndGet()).send().join();
        List<Mqtt3AsyncClient> pubs = new ArrayList<>();
        for (int i = 0; i < publishers; i++) {
            pubs.add(MqttLoad.client(host, port, null, null));
        }
        System.out.println("SAMPLE t=idle " + sample(pid, metricsUrl, received, sent));
        AtomicBoolean running = new AtomicBoolean(true);
        long intervalNanos = 1_000_000_000L * publishers / rate;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < publishers; i++) {
            Mqtt3AsyncClient pub = pubs.get(i);
            String topic = "bench/" + i;
            Thread t = new Thread(() -> paced(pub, topic, intervalNanos, running, sent));
            t.start();
            threads.add(t);
        }
        Thread.sleep(WARMUP_SECONDS * 1000L);
        long recv0 = received.get();
        long sent0 = sent.get();
        long t0 = System.nanoTime();
        System.out.println("SAMPLE t=0 " + sample(pid, metricsUrl, received, sent));
        for (int s = Math.min(SAMPLE_SECONDS, seconds); s <= seconds; s = nextSample(s, seconds)) {
            long due = t0 + TimeUnit.SECONDS.toNanos(s);
            Thread.sleep(Math.max(0, (due - System.nanoTime()) / 1_000_000));
            System.out.println("SAMPLE t=" + s + " " + sample(pid, metricsUrl, received, sent));
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long recv = received.get() - recv0;
        long offered = sent.get() - sent0;
        running.set(false);
        for (Thread t : threads) {
            t.join(5000);
        }
        System.out.printf("RESULT sustained publishers=%d offered_rate=%.0f rate=%.0f delivered_pct=%.1f%n",
                publishers, offered / elapsed, recv / elapsed, offered == 0 ? 0 : 100.0 * recv / offered);
    }

    /** Every SAMPLE_SECONDS, and always at the end. */
    private static int nextSample(int s, int seconds) {
        return s == seconds ? seconds + 1 : Math.min(s + SAMPLE_SECONDS, seconds);
    }

    /** Publishes every intervalNanos; a late publisher catches up, but never beyond its inflight window. */
    private static void paced(Mqtt3AsyncClient pub, String topic, long intervalNanos, AtomicBoolean running,
            AtomicLong sent) {
        Semaphore window = new Semaphore(MqttLoad.WINDOW);
        long next = System.nanoTime();
        while (running.get()) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
                continue;
            }
            window.acquireUninterruptibly();
            pub.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(MqttLoad.PAYLOAD).send()
                    .whenComplete((r, e) -> window.release());
            sent.incrementAndGet();
            next += intervalNanos;
        }
    }

    private static String sample(long pid, String metricsUrl, AtomicLong received, AtomicLong sent)
            throws Exception {
        String line = String.format("rss_mib=%.1f received=%d sent=%d", MqttLoad.rssKib(pid) / 1024.0,
                received.get(), sent.get());
        if (!"-".equals(metricsUrl)) {
            line += heap(metricsUrl);
        }
        return line;
    }

    /**
     * Heap now (all heap pools, an eden sawtooth) and G1's old generation, which only grows by promotion
     * until an old/mixed collection: steady old-gen growth is what a leak looks like. Also the broker's
     * count of messages dropped from a client's bounded queue, so a delivery shortfall is explained.
     */
    private static String heap(String metricsUrl) {
        try {
            var http = java.net.http.HttpClient.newHttpClient();
            var body = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(metricsUrl)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofLines()).body();
            double used = 0;
            double old = 0;
            double dropped = 0;
            for (String l : (Iterable<String>) body::iterator) {
                double v = l.startsWith("#") ? 0 : Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
                if (l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\"")) {
                    used += v;
                    old += l.contains("Old Gen") ? v : 0;
                } else if (l.startsWith("mecgw_mqtt_messages_dropped_total")) {
                    dropped = v;
                }
            }
            return String.format(" heap_used_mib=%.1f old_gen_mib=%.1f dropped=%.0f", used / 1048576,
                    old / 1048576, dropped);
        } catch (Exception e) {
            return " heap_used_mib=n/a old_gen_mib=n/a dropped=n/a";
        }
    }
}

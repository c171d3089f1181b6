import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload;

/**
 * Sparkplug B load for bench/southbound/sparkplug.sh (issue 21.6): each edge node (one line "id:password" of the
 * credentials file) connects over MQTT 5, publishes an NBIRTH declaring METRICS Double metrics with aliases, then
 * NDATA at QoS 1 carrying every metric by alias, WINDOW messages in flight per node. The gateway acknowledges an NDATA
 * only after its readings are committed, so acknowledged metrics/s are metrics decoded and stored. Each NDATA has its
 * own millisecond timestamp per node (the store folds duplicate keys).
 *
 * <p>Usage: java -cp CP SparkplugLoad.java host port seconds credentials-file group metrics-per-message window
 */
public class SparkplugLoad {

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        List<String> nodes = Files.readAllLines(Path.of(args[3]));
        String group = args[4];
        int metrics = Integer.parseInt(args[5]);
        int window = Integer.parseInt(args[6]);
        AtomicLong acked = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        for (String line : nodes) {
            String[] up = line.split(":");
            Mqtt5AsyncClient client = MqttClient.builder()
                    .useMqttVersion5()
                    .identifier(up[0])
                    .serverHost(host)
                    .serverPort(port)
                    .buildAsync();
            client.connectWith()
                    .simpleAuth()
                    .username(up[0])
                    .password(up[1].getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth()
                    .send()
                    .get(30, TimeUnit.SECONDS);
            String prefix = "spBv1.0/" + group + "/";
            long t0 = System.currentTimeMillis();
            client.publishWith()
                    .topic(prefix + "NBIRTH/" + up[0])
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(birth(metrics, t0))
                    .send()
                    .get(30, TimeUnit.SECONDS);
            Thread t = new Thread(() -> {
                Semaphore inFlight = new Semaphore(window);
                long seq = 0;
                long ts = t0;
                while (running.get()) {
                    inFlight.acquireUninterruptibly();
                    seq = (seq + 1) % 256;
                    ts++;
                    client.publishWith()
                            .topic(prefix + "NDATA/" + up[0])
                            .qos(MqttQos.AT_LEAST_ONCE)
                            .payload(data(metrics, seq, ts))
                            .send()
                            .whenComplete((r, e) -> {
                                (e == null ? acked : failed).incrementAndGet();
                                inFlight.release();
                            });
                }
            });
            t.start();
            threads.add(t);
        }
        Thread.sleep(3000);
        long start = acked.get();
        long began = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long count = acked.get() - start;
        double elapsed = (System.nanoTime() - began) / 1e9;
        running.set(false);
        for (Thread t : threads) {
            t.join(5000);
        }
        System.out.printf(
                "RESULT sparkplug nodes=%d metrics_per_msg=%d acked_msgs=%d failed=%d msg_rate=%.0f metric_rate=%.0f%n",
                nodes.size(), metrics, count, failed.get(), count / elapsed, count * metrics / elapsed);
        System.exit(0);
    }

    private static byte[] birth(int metrics, long ts) {
        Payload.Builder payload = Payload.newBuilder().setTimestamp(ts).setSeq(0);
        payload.addMetrics(Payload.Metric.newBuilder().setName("bdSeq").setDatatype(4).setLongValue(0));
        for (int i = 0; i < metrics; i++) {
            payload.addMetrics(Payload.Metric.newBuilder()
                    .setName("m" + i)
                    .setAlias(i + 1)
                    .setDatatype(10)
                    .setDoubleValue(i));
        }
        return payload.build().toByteArray();
    }

    private static byte[] data(int metrics, long seq, long ts) {
        Payload.Builder payload = Payload.newBuilder().setTimestamp(ts).setSeq(seq);
        for (int i = 0; i < metrics; i++) {
            payload.addMetrics(Payload.Metric.newBuilder().setAlias(i + 1).setDatatype(10).setDoubleValue(ts % 1000 + i));
        }
        return payload.build().toByteArray();
    }
}

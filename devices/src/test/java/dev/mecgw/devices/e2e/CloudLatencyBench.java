package dev.mecgw.devices.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * bench/cloud (issue 17 item 9): end-to-end latencies between the packaged gateway and the packaged cloud with the
 * link up, one sample at a time so that each measures the path, not a queue.
 *
 * <ul>
 *   <li>sensor → cloud row: an MQTT 5 device publishes its reported twin state ({@code {"seq":n}}, QoS 1); measured
 *       until the cloud's {@code device_twins} row shows {@code seq = n} (CDC at the edge, Kafka, the cloud's applier).
 *   <li>command round trip: {@code POST /api/v1/sites/{site}/devices/{id}/commands} on the cloud; the device answers
 *       on receipt; measured until the cloud's mirror of the site's status says {@code acknowledged} (downlink,
 *       MQTT delivery, the response stored at the edge, CDC back).
 * </ul>
 *
 * The cloud's database is polled every {@code bench.poll-ms} (default 5 ms), which bounds the error of each sample.
 * Properties: {@code bench.samples} (default 200), {@code bench.warmup} (default 20), {@code mecgw.repo.root}.
 */
public final class CloudLatencyBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEVICE = "bench-sensor";
    private static final long TIMEOUT_NANOS = 60_000_000_000L;

    private CloudLatencyBench() {}

    public static void main(String[] args) throws Exception {
        int samples = Integer.getInteger("bench.samples", 200);
        int warmup = Integer.getInteger("bench.warmup", 20);
        long pollMillis = Long.getLong("bench.poll-ms", 5);
        Path repo = Path.of(System.getProperty("mecgw.repo.root", ".")).toAbsolutePath();
        Path work = Files.createTempDirectory("mecgw-cloud-latency");
        System.out.printf(
                "bench/cloud latency: %d samples (+%d warm-up) each, work folder %s%n", samples, warmup, work);
        try (E2eSite site = E2eSite.start(repo, work, Map.of())) {
            site.register(DEVICE, "sensor");
            Mqtt5AsyncClient device = site.devices().mqtt(DEVICE, new CopyOnWriteArrayList<>());
            answerCommands(device);
            try (Connection db = site.cloudDatabase()) {
                awaitMirrored(db, pollMillis);
                long[] sensor = measure(warmup, samples, n -> sensorToCloud(device, db, n, pollMillis));
                report("sensor_to_cloud_row", sensor);
                long[] command = measure(warmup, samples, n -> commandRoundTrip(site, db, pollMillis));
                report("command_round_trip", command);
            }
            SiteDevices.disconnect(device);
        }
        // The MQTT client's event loop threads are not daemons.
        System.exit(0);
    }

    private interface Sample {
        long nanos(int n) throws Exception;
    }

    private static long[] measure(int warmup, int samples, Sample sample) throws Exception {
        List<Long> kept = new ArrayList<>();
        for (int n = 1; n <= warmup + samples; n++) {
            long nanos = sample.nanos(n);
            if (n > warmup) {
                kept.add(nanos);
            }
        }
        return kept.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    /** The device answers each command at once, with the command id, on the response topic. */
    private static void answerCommands(Mqtt5AsyncClient device) {
        device.publishes(MqttGlobalPublishFilter.ALL, publish -> {
            String topic = publish.getTopic().toString();
            if (topic.contains("/commands/") && !topic.endsWith("/response")) {
                String id = StandardCharsets.UTF_8
                        .decode(publish.getCorrelationData().orElseThrow())
                        .toString();
                device.publishWith()
                        .topic(topic + "/response")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .payload(("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8))
                        .send();
            }
        });
    }

    private static void awaitMirrored(Connection db, long pollMillis) throws Exception {
        until(db, "SELECT 1 FROM devices WHERE site_id = ? AND id = ?", E2eSite.SITE, DEVICE, "1", pollMillis);
    }

    private static long sensorToCloud(Mqtt5AsyncClient device, Connection db, int n, long pollMillis) throws Exception {
        long sent = System.nanoTime();
        SiteDevices.publish(device, "devices/" + DEVICE + "/twin/reported", "{\"seq\":" + n + "}");
        until(
                db,
                "SELECT reported->>'seq' FROM device_twins WHERE site_id = ? AND device_id = ?",
                E2eSite.SITE,
                DEVICE,
                Integer.toString(n),
                pollMillis);
        return System.nanoTime() - sent;
    }

    private static long commandRoundTrip(E2eSite site, Connection db, long pollMillis) throws Exception {
        long sent = System.nanoTime();
        HttpResponse<String> accepted = site.cloud()
                .send(
                        "POST",
                        "/api/v1/sites/" + E2eSite.SITE + "/devices/" + DEVICE + "/commands",
                        "{\"name\":\"ping\",\"payload\":{}}");
        if (accepted.statusCode() != 202) {
            throw new IllegalStateException("command refused: " + accepted.statusCode() + " " + accepted.body());
        }
        String id = JSON.readTree(accepted.body()).path("id").asText();
        until(
                db,
                "SELECT outcome FROM mecgw_downlink_applied WHERE site_id = ? AND id = ?",
                E2eSite.SITE,
                id,
                "acknowledged",
                pollMillis);
        return System.nanoTime() - sent;
    }

    /** Polls a one-value query until it returns {@code expected}. */
    private static void until(Connection db, String sql, String site, String key, String expected, long pollMillis)
            throws Exception {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        try (PreparedStatement query = db.prepareStatement(sql)) {
            query.setString(1, site);
            query.setString(2, key);
            while (true) {
                try (ResultSet row = query.executeQuery()) {
                    if (row.next() && expected.equals(row.getString(1))) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no " + expected + " for " + key + " within 60 s: " + sql);
                }
                // Polling the cloud's database is the measurement itself; the interval bounds its error.
                Thread.sleep(pollMillis);
            }
        }
    }

    private static void report(String name, long[] sortedNanos) {
        System.out.printf(
                "RESULT %s samples=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f mean_ms=%.1f%n",
                name,
                sortedNanos.length,
                percentile(sortedNanos, 0.50),
                percentile(sortedNanos, 0.99),
                sortedNanos[sortedNanos.length - 1] / 1e6,
                Arrays.stream(sortedNanos).average().orElse(0) / 1e6);
    }

    /** Nearest-rank percentile, in milliseconds. */
    private static double percentile(long[] sortedNanos, double p) {
        int rank = (int) Math.ceil(p * sortedNanos.length);
        return sortedNanos[Math.max(0, rank - 1)] / 1e6;
    }
}

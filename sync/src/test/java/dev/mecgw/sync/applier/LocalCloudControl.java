package dev.mecgw.sync.applier;

import dev.mecgw.testsupport.kafka.TcpProxy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Lets a script drive the local cloud through files in one folder (written for {@code scripts/demo.sh}, which has
 * run the cloud application of issue 17 since; kept for trying the sync library alone), polled once a
 * second:
 *
 * <ul>
 *   <li>{@code backhaul-cut} present: the edge's backhaul proxy is cut; absent: restored;
 *   <li>{@code downlink/<name>.json}: one downlink message (CONTRACT §3), sent on {@code <site>.downlink} keyed by
 *       its {@code deviceId}, then renamed {@code <name>.sent};
 *   <li>{@code status}: written by the cloud, {@code key=value} lines: {@code backhaul=up|cut}, {@code rows.<table>=N}
 *       per replicated table, {@code events.<kind>.<device>=N} per event kind and device, and
 *       {@code downlink.<id>=<outcome>} from the mirrored {@code mecgw_downlink_applied}.
 * </ul>
 */
final class LocalCloudControl implements Runnable {

    private final Path dir;
    private final String site;
    private final TcpProxy backhaul;
    private final String jdbcUrl;
    private final KafkaProducer<String, String> producer;

    LocalCloudControl(Path dir, String site, TcpProxy backhaul, String jdbcUrl, String cloudBootstrap) {
        this.dir = dir;
        this.site = site;
        this.backhaul = backhaul;
        this.jdbcUrl = jdbcUrl;
        this.producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        cloudBootstrap,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true),
                new StringSerializer(),
                new StringSerializer());
    }

    /** Starts the polling thread (daemon). */
    void start() throws IOException {
        Files.createDirectories(dir.resolve("downlink"));
        Thread thread = new Thread(this, "local-cloud-control");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        boolean cut = false;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                boolean wanted = Files.exists(dir.resolve("backhaul-cut"));
                if (wanted != cut) {
                    if (wanted) {
                        backhaul.cut();
                    } else {
                        backhaul.restore();
                    }
                    cut = wanted;
                }
                sendDownlinks();
                writeStatus(cut);
                TimeUnit.SECONDS.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                System.err.println("local cloud control: " + e.getMessage());
            }
        }
    }

    private void sendDownlinks() throws Exception {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir.resolve("downlink"), "*.json")) {
            for (Path file : files) {
                String body = Files.readString(file, StandardCharsets.UTF_8);
                String device = field(body, "deviceId");
                producer.send(new ProducerRecord<>(site + ".downlink", device, body))
                        .get(10, TimeUnit.SECONDS);
                Files.move(file, file.resolveSibling(file.getFileName() + ".sent"));
            }
        }
    }

    /** A top-level string field, enough for the messages this folder carries (no JSON library on this path). */
    static String field(String json, String name) {
        int at = json.indexOf("\"" + name + "\"");
        int start = json.indexOf('"', json.indexOf(':', at) + 1) + 1;
        if (at < 0 || start <= 0) {
            throw new IllegalArgumentException("downlink file lacks \"" + name + "\"");
        }
        return json.substring(start, json.indexOf('"', start));
    }

    private void writeStatus(boolean cut) throws Exception {
        Map<String, String> status = new TreeMap<>();
        status.put("backhaul", cut ? "cut" : "up");
        try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", null);
                Statement statement = db.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SELECT table_name, count(*) FROM " + PostgresChangeApplier.TABLE
                    + " WHERE NOT deleted GROUP BY table_name")) {
                while (rs.next()) {
                    status.put("rows." + rs.getString(1), Long.toString(rs.getLong(2)));
                }
            }
            try (ResultSet rs = statement.executeQuery(
                    "SELECT data->>'kind', data->>'device_id', count(*) FROM " + PostgresChangeApplier.TABLE
                            + " WHERE table_name IN ('events', 'public.events') AND NOT deleted GROUP BY 1, 2")) {
                while (rs.next()) {
                    status.put("events." + rs.getString(1) + "." + rs.getString(2), Long.toString(rs.getLong(3)));
                }
            }
            try (ResultSet rs = statement.executeQuery(
                    "SELECT data->>'id', data->>'outcome' FROM " + PostgresChangeApplier.TABLE
                            + " WHERE table_name IN ('mecgw_downlink_applied', 'public.mecgw_downlink_applied') AND NOT deleted")) {
                while (rs.next()) {
                    status.put("downlink." + rs.getString(1), rs.getString(2));
                }
            }
        } catch (java.sql.SQLException e) {
            // The table appears with the first applied change.
        }
        StringBuilder text = new StringBuilder();
        status.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Path tmp = dir.resolve("status.tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve("status"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}

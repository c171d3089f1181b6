package dev.mecgw.app.console;

import dev.mecgw.app.console.ConsoleLoginTest.Browser;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Server time of every console page (issue 19 item 5) with 10,000 registered devices, 200,000 events (10,000 of
 * them active alarms on 500 devices) and an hour of readings (one a second) on the device shown: p50/p95 of the
 * HTTP round trip over loopback (request, queries, rendering, response) after a warm-up, one page after the other.
 * Not part of the suite (the name does not end in Test); {@code bench/console/run.sh} runs it. Seeded rows (ids
 * starting with {@code bench-}) are deleted afterwards.
 */
@QuarkusTest
class ConsolePagesBench {

    private static final int DEVICES = Integer.getInteger("bench.devices", 10_000);
    private static final int EVENTS = Integer.getInteger("bench.events", 200_000);
    private static final int WARM_UP = Integer.getInteger("bench.warmup", 50);
    private static final int RUNS = Integer.getInteger("bench.runs", 300);

    @Inject
    DataSource dataSource;

    @TestHTTPResource("/")
    URL base;

    @Test
    void measure() throws Exception {
        seed();
        try {
            if (Boolean.getBoolean("bench.explain")) {
                explain();
            }
            Browser viewer = ConsoleScreensTest.givenLoggedIn(ConsoleLoginTest.givenUser("viewer"));
            HttpClient client = HttpClient.newHttpClient();
            Map<String, String> pages = new LinkedHashMap<>();
            pages.put("overview", "/console");
            pages.put("devices, first page", "/console/devices");
            pages.put("devices, page 101 of 200", "/console/devices?page=100");
            pages.put("devices, after bench-5000", "/console/devices?after=bench-5000");
            pages.put("devices, type=camera", "/console/devices?type=camera");
            pages.put("devices, online only", "/console/devices?online=true");
            pages.put("device bench-4242", "/console/devices/bench-4242");
            pages.put("device's chart data, 3,600 readings (JSON)", "/console/devices/bench-4242/readings");
            pages.put("alarms (what is wrong now + 50)", "/console/alarms");
            pages.put("alarms, any state", "/console/alarms?state=any&severity=info");
            pages.put("cameras", "/console/cameras");
            pages.put("updates", "/console/updates");
            pages.put("sync", "/console/sync");
            System.out.printf(
                    "%nBENCH console pages, %d devices, %d events, %d runs each after %d warm-up%n",
                    DEVICES, EVENTS, RUNS, WARM_UP);
            for (Map.Entry<String, String> page : pages.entrySet()) {
                HttpRequest request = HttpRequest.newBuilder(
                                URI.create(base.toString()).resolve(page.getValue()))
                        .header(
                                "Cookie",
                                ConsoleAuthFilter.COOKIE + "=" + viewer.session + "; " + BearerCsrfExemption.CSRF_COOKIE
                                        + "=" + viewer.csrfCookie)
                        .build();
                LatencySample<HttpResponse<byte[]>> sample = LatencySample.measure(
                        WARM_UP, RUNS, () -> client.send(request, HttpResponse.BodyHandlers.ofByteArray()));
                System.out.printf(
                        "BENCH %-44s HTTP %d %7d B  p50 %6.2f ms  p95 %6.2f ms%n",
                        page.getKey(),
                        sample.last().statusCode(),
                        sample.last().body().length,
                        sample.p50Millis(),
                        sample.p95Millis());
            }
        } finally {
            exec(
                    "DELETE FROM telemetry WHERE device_id = 'bench-4242'",
                    "DELETE FROM events WHERE device_id LIKE 'bench-%'",
                    "DELETE FROM devices WHERE id LIKE 'bench-%'");
        }
    }

    private void seed() throws Exception {
        exec(
                "INSERT INTO devices (id, type, labels, online, last_seen) SELECT 'bench-' || i, CASE WHEN i % 100 = 0"
                        + " THEN 'camera' ELSE 'sensor' END, jsonb_build_object('line', 'l' || (i % 20)), i % 3 = 0,"
                        + " now() - (i || ' seconds')::interval FROM generate_series(1, " + DEVICES + ") i"
                        + " ON CONFLICT DO NOTHING",
                "INSERT INTO device_twins (device_id, reported) SELECT 'bench-' || i,"
                        + " jsonb_build_object('firmware', jsonb_build_object('version', '1.' || (i % 4) || '.0',"
                        + " 'state', 'idle', 'result', 1)) FROM generate_series(1, " + DEVICES + ") i"
                        + " ON CONFLICT DO NOTHING",
                // Kinds and severities like a real site's: mostly info, some warnings, few alarms; cameras detect.
                // i % 20 = 1: 10,000 active alarms on 500 devices (a bad day); other warnings and alarms cleared.
                "INSERT INTO events (ts, device_id, kind, severity, payload, cleared_at, cleared_by)"
                        + " SELECT now() - (i || ' seconds')::interval, 'bench-' || (i % " + DEVICES + " + 1),"
                        + " CASE WHEN i % 100 = 0 THEN 'inference.detection' WHEN i % 10 = 1 THEN 'sensor.anomaly'"
                        + " WHEN i % 10 = 2 THEN 'telemetry.rejected' ELSE 'presence.changed' END,"
                        + " CASE WHEN i % 10 = 1 THEN 'alarm' WHEN i % 10 = 2 THEN 'warning' ELSE 'info' END,"
                        + " CASE WHEN i % 100 = 0 THEN '{\"model\":\"vision\",\"version\":\"1\",\"detections\":"
                        + "[{\"label\":\"person\",\"score\":0.9,\"box\":[1,2,3,4]}]}'::jsonb ELSE '{}'::jsonb END,"
                        + " CASE WHEN i % 20 = 1 THEN NULL WHEN i % 10 IN (1, 2) THEN now() END,"
                        + " CASE WHEN i % 20 = 1 THEN NULL WHEN i % 10 IN (1, 2) THEN 'bench' END"
                        + " FROM generate_series(1, " + EVENTS + ") i",
                "INSERT INTO telemetry (device_id, metric, ts, value) SELECT 'bench-4242', 'temperature',"
                        + " now() - (i || ' seconds')::interval, 20 + i % 7 FROM generate_series(1, 3600) i"
                        + " ON CONFLICT DO NOTHING",
                "VACUUM ANALYZE events",
                "VACUUM ANALYZE devices",
                "VACUUM ANALYZE device_twins",
                "ANALYZE telemetry");
    }

    /** The slowest pages' queries with their plans (EXPLAIN ANALYZE), as the list and alarms screens send them. */
    private void explain() throws Exception {
        String list = "SELECT d.id, d.type, d.labels::text, d.slice_sst, d.slice_sd, d.online, d.last_seen,"
                + " t.reported #>> '{firmware,version}' FROM devices d LEFT JOIN device_twins t ON t.device_id = d.id";
        String active = " FROM events WHERE cleared_at IS NULL AND severity IN ('warning', 'alarm')";
        String[] queries = {
            list + " ORDER BY d.id LIMIT 51",
            "SELECT count(*) FROM devices d",
            list + " WHERE d.type = 'camera' ORDER BY d.id LIMIT 51",
            "SELECT count(*) FROM devices d WHERE d.type = 'camera'",
            "SELECT severity, count(*) FILTER (WHERE acked_at IS NULL), count(*) FILTER (WHERE acked_at IS NOT NULL)"
                    + active + " GROUP BY severity",
            "SELECT max(CASE severity WHEN 'alarm' THEN 2 ELSE 1 END) AS rank, kind, device_id, count(*),"
                    + " count(*) FILTER (WHERE acked_at IS NULL), min(ts), max(ts), max(id)" + active
                    + " GROUP BY kind, device_id ORDER BY rank DESC, max(ts) DESC, max(id) DESC LIMIT 20",
            "SELECT id" + active + " ORDER BY id DESC LIMIT 51"
        };
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            for (String sql : queries) {
                System.out.printf("BENCH plan: %s%n", sql);
                try (var rs = s.executeQuery("EXPLAIN (ANALYZE, BUFFERS) " + sql)) {
                    while (rs.next()) {
                        System.out.printf("BENCH plan |   %s%n", rs.getString(1));
                    }
                }
            }
        }
    }

    private void exec(String... statements) throws Exception {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}

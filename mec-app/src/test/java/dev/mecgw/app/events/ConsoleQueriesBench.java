package dev.mecgw.app.events;

import dev.mecgw.app.console.LatencySample;
import dev.mecgw.app.inference.CameraOverview;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Server time of the console screens' data queries (issue 19 item 5) with 10,000 registered devices and 200,000
 * events (a tenth of them active alarms): p50/p95 over 300 runs each, after 50 warm-up runs. Not part of the suite
 * (the name does not end in Test); run it with
 * {@code ./mvnw -B -pl mec-app -am test -Dtest=ConsoleQueriesBench -Dsurefire.failIfNoSpecifiedTests=false}. Seeded
 * rows (ids starting with {@code bench-}) are deleted afterwards.
 */
@QuarkusTest
class ConsoleQueriesBench {

    private static final int DEVICES = 10_000;
    private static final int EVENTS = 200_000;
    private static final int WARM_UP = 50;
    private static final int RUNS = 300;

    @Inject
    DataSource dataSource;

    @Inject
    Alarms alarms;

    @Inject
    CameraOverview cameras;

    @Test
    void measure() throws Exception {
        seed();
        try {
            Map<String, Supplier<?>> queries = new LinkedHashMap<>();
            queries.put("alarms: what is wrong now (50 groups)", () -> alarms.summary(50));
            queries.put("alarms: active, unacknowledged, 50", () -> alarms.list(query("active", "false")));
            queries.put("alarms: all events, 50", () -> alarms.list(query("any", null)));
            queries.put("alarms: one device's events, 50", () -> alarms.list(deviceQuery()));
            queries.put("cameras: newest result per camera (24 h)", () -> cameras.latest(Duration.ofHours(24), 100));
            queries.put("cameras: detections/s (60 s)", () -> cameras.rate(Duration.ofSeconds(60)));
            System.out.printf("%nconsole queries, %d devices, %d events, %d runs each%n", DEVICES, EVENTS, RUNS);
            for (Map.Entry<String, Supplier<?>> q : queries.entrySet()) {
                LatencySample<?> sample = LatencySample.measure(WARM_UP, RUNS, q.getValue()::get);
                System.out.printf(
                        "%-45s p50 %6.2f ms  p95 %6.2f ms%n", q.getKey(), sample.p50Millis(), sample.p95Millis());
            }
        } finally {
            exec("DELETE FROM events WHERE device_id LIKE 'bench-%'", "DELETE FROM devices WHERE id LIKE 'bench-%'");
        }
    }

    private void seed() throws Exception {
        exec(
                "INSERT INTO devices (id, type, labels) SELECT 'bench-' || i, CASE WHEN i % 100 = 0 THEN 'camera'"
                        + " ELSE 'sensor' END, '{}' FROM generate_series(1, " + DEVICES + ") i ON CONFLICT DO NOTHING",
                // Kinds and severities like a real site's: mostly info, some warnings, few alarms; cameras detect.
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
                "ANALYZE events",
                "ANALYZE devices");
    }

    private void exec(String... statements) throws Exception {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private static EventQuery query(String state, String acknowledged) {
        EventFilter filter = new EventFilter();
        filter.state = state;
        filter.acknowledged = acknowledged;
        return filter.toQuery();
    }

    private static EventQuery deviceQuery() {
        EventFilter filter = new EventFilter();
        filter.device = "bench-4242";
        return filter.toQuery();
    }
}

package dev.mecgw.app.telemetry;

import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/**
 * Durable telemetry storage. Methods block; call them from worker threads.
 */
public interface TelemetryStore {

    /** The store's name in its errors: {@code "Telemetry store unavailable"}, whoever reports the failure. */
    String NAME = "Telemetry store";

    /**
     * Stores a batch atomically: when this returns, every reading is committed; when it throws, none is.
     * A reading equal in device, metric and timestamp to a stored one is ignored, which makes protocol
     * redeliveries harmless.
     *
     * @return how many readings were new
     */
    int append(List<Reading> batch);

    /**
     * Stored readings of a device, newest first.
     *
     * @param metric only this metric, or all when null
     * @param from inclusive lower bound, or unbounded when null
     * @param to exclusive upper bound, or unbounded when null
     * @param limit maximum number of readings
     */
    List<Reading> query(String deviceId, String metric, Instant from, Instant to, int limit);

    /** The readings table in the gateway's PostgreSQL (partitioned by day; see {@link TelemetryPartitions}). */
    static TelemetryStore postgres(DataSource dataSource) {
        return new PostgresTelemetryStore(dataSource);
    }
}

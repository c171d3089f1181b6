package dev.mecgw.app.ingest;

/**
 * Names of the in-memory SmallRye Reactive Messaging channels that carry telemetry inside the gateway.
 *
 * <pre>
 * MQTT, CoAP ──submit──▶ [telemetry] ──▶ group-commit writer ──▶ PostgreSQL
 *                                              │ after commit
 *                                              ▼
 *                                   [telemetry-committed] ──▶ sensor inference
 * </pre>
 */
public final class TelemetryChannels {

    /**
     * Readings of one device message each; a message is acknowledged only after its batch is committed and
     * negatively acknowledged with the reason when it is not (queue full, store down).
     */
    public static final String INGEST = "telemetry";

    /** Committed batches, in commit order per writer; best effort (a slow consumer loses batches, never ingest). */
    public static final String COMMITTED = "telemetry-committed";

    private TelemetryChannels() {}
}

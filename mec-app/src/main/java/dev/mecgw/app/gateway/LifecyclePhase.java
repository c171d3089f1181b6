package dev.mecgw.app.gateway;

/**
 * The named phases in which the gateway starts and stops, in start order: the store first, so that
 * nothing is accepted that could not be made durable; then the writers that record for the other phases,
 * the ingest that writes readings to the store, the local inference that reads them, the sync to the
 * cloud, the 5G network integration, and only then the front-ends (MQTT, CoAP) that accept readings from
 * devices; the start-up report comes last. Stopping runs the same list backwards: the front-ends stop
 * accepting first, the ingest drains its queue into the store, the writers flush what they counted, and
 * the store closes last, so that no reading is acknowledged, and nothing written, after the store closed.
 *
 * <p>The {@code app/} wiring beans put a phase on each start-up and shut-down observer as
 * {@code @Priority(LifecyclePhase.Order.INGEST_STOP)} (CDI observers run in ascending priority).
 * Annotation values must be compile-time constants, hence the numbers in {@link Order}; the enum is their
 * one ordered list, and {@code LifecyclePhaseTest} checks that the numbers follow it.
 *
 * <p>Whatever uses the store stops in a phase, never in a CDI disposer or {@code @PreDestroy}: those run
 * after every {@code ShutdownEvent} observer, so after the store closed. A scheduled job that uses the
 * store becomes a no-op at its phase's stop, waiting for a run in flight at most {@code PhaseGate}'s bound, within
 * the shutdown's one {@code StopDeadline} that the REPORT phase's stop starts (the scheduler itself stops in
 * {@code @PreDestroy}). Disposers remain only for what touches no store: the
 * model registry's ONNX sessions. {@code store.ExitHook} stops the embedded PostgreSQL itself only when the
 * JVM exits without the STORE phase (a failed start) or when the shutdown took longer than 60 s: then whatever
 * still runs meets a closed store.
 */
public enum LifecyclePhase {
    /** The database: maintenance of telemetry partitions on start, the embedded PostgreSQL on stop. */
    STORE(Order.STORE_START, Order.STORE_STOP),
    /**
     * The writers that record for the other phases: the rejected-payload aggregates of the event log, the
     * command ledger's thread, the partition maintenance. They stop after the ingest drained (its throttle
     * counts rejections) and the front-ends stopped (their acknowledgements update commands).
     */
    WRITERS(Order.WRITERS_START, Order.WRITERS_STOP),
    /** The group-commit writer that makes readings durable before a device is acknowledged. */
    INGEST(Order.INGEST_START, Order.INGEST_STOP),
    /**
     * The ONNX model registry and runners. Its workers stop before the ingest drains, so readings committed during
     * INGEST's drain are not scored (docs/architecture.md, "Lifecycle phases"); a run still going after the workers'
     * bounded wait is logged at INFO.
     */
    INFERENCE(Order.INFERENCE_START, Order.INFERENCE_STOP),
    /** Change capture and replication to the cloud. */
    SYNC(Order.SYNC_START, Order.SYNC_STOP),
    /** The 5G network integration (NEF, MEC) and the QoS rules that use it. */
    RAN(Order.RAN_START, Order.RAN_STOP),
    /** The device front-ends: MQTT and CoAP listeners, and the access policy they consult. */
    FRONT_ENDS(Order.FRONT_ENDS_START, Order.FRONT_ENDS_STOP),
    /** The start-up report, once everything listens; nothing to stop. */
    REPORT(Order.REPORT_START, Order.REPORT_STOP);

    private final int startPriority;
    private final int stopPriority;

    LifecyclePhase(int startPriority, int stopPriority) {
        this.startPriority = startPriority;
        this.stopPriority = stopPriority;
    }

    /** The CDI observer priority of this phase's {@code StartupEvent} observers (lower runs first). */
    public int startPriority() {
        return startPriority;
    }

    /** The CDI observer priority of this phase's {@code ShutdownEvent} observers (lower runs first). */
    public int stopPriority() {
        return stopPriority;
    }

    /**
     * The phases' observer priorities as constants for {@code @Priority} and {@code @Startup}. The store
     * starts before, and stops after, the observers of the platform's extensions (default priority 2500);
     * the other phases start after them and stop before them.
     */
    public static final class Order {
        public static final int STORE_START = 10;
        public static final int WRITERS_START = 2_900;
        public static final int INGEST_START = 3_000;
        public static final int INFERENCE_START = 3_100;
        public static final int SYNC_START = 3_200;
        public static final int RAN_START = 3_300;
        public static final int FRONT_ENDS_START = 3_400;
        public static final int REPORT_START = 3_500;

        public static final int REPORT_STOP = 0;
        public static final int FRONT_ENDS_STOP = 100;
        public static final int RAN_STOP = 200;
        public static final int SYNC_STOP = 300;
        public static final int INFERENCE_STOP = 400;
        public static final int INGEST_STOP = 500;
        public static final int WRITERS_STOP = 600;
        public static final int STORE_STOP = 1_000_000;

        private Order() {}
    }
}

package dev.mecgw.sync;

import static dev.mecgw.testsupport.arch.AreaEntries.mainClassesOf;
import static dev.mecgw.testsupport.arch.AreaEntries.onePublicEntryPerArea;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The library's own architecture rule (issue 13; the cross-module rules are mec-app's {@code ArchitectureTest}):
 * each area exposes its entry class, the few classes mec-app's {@code sync} wiring builds itself, and the types of
 * their public API; everything else is package-private. A violation fails {@code ./mvnw verify} naming the rule.
 */
class ArchitectureTest {

    /** Per area: the entry first, then the classes mec-app builds itself, with why. */
    private static final Map<String, List<String>> LISTED = Map.of(
            "applier", List.of("ApplierMain"),
            // One probe, sampler, estimator and guard per capture channel, built by mec-app's SyncChannel and
            // SyncLifecycle (a factory on BackhaulMonitor would hide them, at the price of edits in mec-app).
            "backhaul",
                    List.of(
                            "BackhaulMonitor",
                            "PostgresSlotProbe",
                            "PostgresBacklogSampler",
                            "BacklogEstimator",
                            "DiskGuard"),
            // PostgresOffsetBackingStore: Debezium instantiates it by name (offset.storage), so it must be public;
            // the lane gate, retention marks and slot reset are shared by mec-app's channels.
            "cdc",
                    List.of(
                            "DebeziumChangeCapture",
                            "PostgresOffsetBackingStore",
                            "LaneGate",
                            "PostgresRetentionMarks",
                            "PostgresSlotReset"),
            "downlink", List.of("KafkaDownlinkConsumer", "PostgresDownlinkApplier"),
            "heartbeat", List.of("KafkaHeartbeatSender"),
            // ChangeEventCodec: the wire format (Debezium's envelope), read back by the applier area.
            "kafka", List.of("KafkaChangeSink", "KafkaLinkProbe", "ChangeEventCodec"),
            // The policy sinks and their parts, chained around the Kafka sink in the order SyncLifecycle chooses.
            "policy",
                    List.of(
                            "FilteringChangeSink",
                            "MaskingChangeSink",
                            "JsonPathMasks",
                            "ColumnMasks",
                            "PostgresRowFilterCheck"));

    @Test
    void eachAreaExposesOnlyItsEntryAndItsApiTypes() {
        onePublicEntryPerArea("dev.mecgw.sync", LISTED).check(mainClassesOf("dev.mecgw.sync"));
    }
}

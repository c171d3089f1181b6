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

    /**
     * Per area: the entry first, then the classes that must stay public although no entry's API reaches them, with
     * why. mec-app builds everything else through the entries' static factories ({@code BackhaulMonitor.slotProbe},
     * {@code DebeziumChangeCapture.laneGate}, {@code FilteringChangeSink.withMasks}, ...).
     */
    private static final Map<String, List<String>> LISTED = Map.of(
            "applier",
            List.of("ApplierMain"),
            "backhaul",
            List.of("BackhaulMonitor"),
            // PostgresOffsetBackingStore: Debezium instantiates it by name (offset.storage) through reflection, which
            // needs a public class with a public no-argument constructor.
            "cdc",
            List.of("DebeziumChangeCapture", "PostgresOffsetBackingStore"),
            "downlink",
            List.of("KafkaDownlinkConsumer"),
            "heartbeat",
            List.of("KafkaHeartbeatSender"),
            // ChangeEventCodec: the wire format (Debezium's envelope, CONTRACT-sync section 1), written by this area
            // and read back by the applier area, a package of its own. KafkaStoredOffsets and KafkaRecordLoop: how the
            // downlink area and mec-app's model downlink keep offsets across a backhaul cut and skip what can never
            // be stored. RetryWait, StoreRefusal and KafkaConsumerSettings: the retry wait, the refusal classification
            // and the fixed consumer settings that loop, the applier area and mec-app share.
            "kafka",
            List.of(
                    "KafkaChangeSink",
                    "ChangeEventCodec",
                    "KafkaStoredOffsets",
                    "KafkaRecordLoop",
                    "RetryWait",
                    "StoreRefusal",
                    "KafkaConsumerSettings"),
            "policy",
            List.of("FilteringChangeSink"));

    @Test
    void eachAreaExposesOnlyItsEntryAndItsApiTypes() {
        onePublicEntryPerArea("dev.mecgw.sync", LISTED).check(mainClassesOf("dev.mecgw.sync"));
    }
}

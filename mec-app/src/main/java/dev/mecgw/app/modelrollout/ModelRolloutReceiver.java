package dev.mecgw.app.modelrollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.events.EventLog;
import dev.mecgw.inference.model.ModelMetadata;
import dev.mecgw.inference.model.ModelRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * The gateway's side of model rollouts (issue 18 item 5), the entry class of the area. {@link #handle} applies the
 * messages of {@code <siteId>.models} (CONTRACT-sync §4): an offer, its chunks (each checked against its SHA-256 and
 * stored durably once), then the assembled model, checked against the whole SHA-256, goes live through the registry's
 * hot swap. {@link #tick} runs the health gate of each installed version once its window closed: passing leaves it,
 * failing activates the previous version again; a vision version with too few frames to judge gets one more window.
 * Every step is written to the replicated {@code mecgw_model_installs}, which is how the cloud learns it, and
 * recorded as an event in the same transaction. Thread-safe: calls are serialized.
 */
public final class ModelRolloutReceiver {

    private static final Logger LOG = Logger.getLogger(ModelRolloutReceiver.class);

    private final PostgresModelInstalls store;
    private final ModelRegistry registry;
    private final MeterInferenceStats stats;
    private final ObjectMapper json;
    private final EventLog events;
    private final Clock clock;
    /** Figures at install time per rollout: the previous version's, and the new one's start (for its window). */
    private final Map<String, Watch> watches = new ConcurrentHashMap<>();
    /** Rollouts whose gate waits for more outputs and has said so. */
    private final Set<String> waiting = ConcurrentHashMap.newKeySet();

    private final ChunkMeters chunks;

    private record Watch(VersionStats baseline, VersionStats start) {}

    /**
     * {@code mecgw.model.rollout.chunks} by outcome: {@code stored}, {@code duplicate} (stored before, or its
     * download is over: a redelivery after a cut or a restart), {@code rejected} (length or SHA-256 mismatch).
     */
    private record ChunkMeters(Counter stored, Counter duplicate, Counter rejected) {
        static ChunkMeters of(MeterRegistry meters) {
            return new ChunkMeters(
                    counter(meters, "stored"), counter(meters, "duplicate"), counter(meters, "rejected"));
        }

        private static Counter counter(MeterRegistry meters, String outcome) {
            return Counter.builder("mecgw.model.rollout.chunks")
                    .description("Model rollout chunks received from the cloud, by outcome")
                    .tag("outcome", outcome)
                    .register(meters);
        }
    }

    /**
     * @param dataSource the local store with the V180 tables
     * @param registry the model registry whose hot swap installs and rolls back
     * @param meters the inference meters the gate reads
     * @param json reads model metadata as the model upload API does
     * @param events where each install and verdict is recorded
     * @param clock decides when a health window closed
     */
    public ModelRolloutReceiver(
            DataSource dataSource,
            ModelRegistry registry,
            MeterRegistry meters,
            ObjectMapper json,
            EventLog events,
            Clock clock) {
        this.store = new PostgresModelInstalls(dataSource);
        this.registry = registry;
        this.stats = new MeterInferenceStats(meters);
        this.chunks = ChunkMeters.of(meters);
        this.json = json;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Applies one downlink message; a message seen before changes nothing.
     *
     * @throws SQLException when the store fails: the step was not stored, the caller retries the message (a model
     *     already handed to the registry is handed again with the same bytes, which changes nothing) unless the
     *     store refuses it for good (its SQLSTATE says so: {@code dev.mecgw.sync.kafka.StoreRefusal})
     * @throws IllegalArgumentException for a malformed message, which can never apply
     */
    public synchronized void handle(byte[] value) throws SQLException {
        JsonNode message;
        try {
            message = json.readTree(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        String rolloutId = message.path("rolloutId").asText("");
        switch (message.path("kind").asText("")) {
            case "model-offer" -> offer(message);
            case "model-chunk" -> chunk(rolloutId, message);
            case "model-cancel" -> cancel(rolloutId);
            case "model-revert" -> revert(rolloutId);
            default -> throw new IllegalArgumentException("unknown kind " + message.path("kind"));
        }
    }

    private void offer(JsonNode message) throws SQLException {
        ModelOffer offer = ModelOffer.parse(message);
        String previous =
                registry.current(offer.name()).map(ModelMetadata::version).orElse(null);
        if (store.offer(offer, message, previous)) {
            LOG.infof(
                    "model rollout %s: receiving %s %s (%d bytes in %d chunks)",
                    offer.rolloutId(), offer.name(), offer.version(), offer.size(), offer.chunks());
        }
    }

    private void chunk(String rolloutId, JsonNode message) throws SQLException {
        Optional<InstallRecord> install = store.find(rolloutId);
        if (install.isEmpty() || !"downloading".equals(install.get().state())) {
            chunks.duplicate.increment();
            return;
        }
        ModelOffer offer = install.get().offer();
        int index = message.path("index").asInt(-1);
        byte[] data = Base64.getDecoder().decode(message.path("data").asText(""));
        String rejected = ChunkAssembly.reject(offer, index, data);
        if (rejected != null) {
            // Not stored: it stays in `missing`, and the cloud publishes it again when the download stalls.
            LOG.warnf("model rollout %s: %s; dropped", rolloutId, rejected);
            chunks.rejected.increment();
            return;
        }
        Optional<PostgresModelInstalls.ChunkWrite> write = store.chunk(rolloutId, index, data);
        (write.isPresent() && write.get().stored() ? chunks.stored : chunks.duplicate).increment();
        if (write.isPresent() && write.get().received().size() == offer.chunks()) {
            install(offer, install.get().previousVersion());
        }
    }

    private void install(ModelOffer offer, String previous) throws SQLException {
        ModelMetadata installed;
        try {
            byte[] model = ChunkAssembly.assemble(offer, store.chunks(offer.rolloutId()));
            ModelMetadata metadata = json.treeToValue(offer.metadata(), ModelMetadata.class);
            if (!offer.name().equals(metadata.name()) || !offer.version().equals(metadata.version())) {
                throw new IllegalStateException("the metadata names another model or version");
            }
            VersionStats baseline = stats.of(offer.kind(), offer.name(), previous);
            installed = registry.install(metadata, model);
            watches.put(offer.rolloutId(), new Watch(baseline, stats.of(offer.kind(), offer.name(), offer.version())));
        } catch (IOException | RuntimeException e) {
            String reason = "install failed: " + e.getMessage();
            step(offer, previous, "failed", reason, null, null, "alarm");
            return;
        }
        Instant now = clock.instant();
        String reason = "serving " + installed.version() + "; health window " + offer.healthWindow() + " from " + now;
        step(offer, previous, "gating", reason, null, now, "info");
    }

    /** Judges every install whose health window closed. Errors are logged; the next tick retries. */
    public synchronized void tick() {
        try {
            Instant now = clock.instant();
            for (InstallRecord install : store.gating()) {
                ModelOffer offer = install.offer();
                if (install.installedAt() != null
                        && now.isBefore(install.installedAt().plus(offer.healthWindow()))) {
                    continue;
                }
                judge(install, now);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("model rollout health gate not evaluated, retried: %s", e.getMessage());
        }
    }

    private void judge(InstallRecord install, Instant now) throws SQLException {
        ModelOffer offer = install.offer();
        // After a restart the figures of the window so far are gone with the process: judge what was seen since.
        Watch watch = watches.getOrDefault(offer.rolloutId(), new Watch(VersionStats.NONE, VersionStats.NONE));
        VersionStats candidate =
                stats.of(offer.kind(), offer.name(), offer.version()).minus(watch.start());
        // Too few frames to compare detection rates extend the window once, by its own length; then they fail.
        boolean mayWait = install.installedAt() != null
                && now.isBefore(install.installedAt().plus(offer.healthWindow().multipliedBy(2)));
        ModelHealthGate.Verdict verdict =
                ModelHealthGate.judge(offer.kind(), watch.baseline(), candidate, offer.gate(), mayWait);
        if (verdict.outcome() == ModelHealthGate.Outcome.WAITING) {
            // Reported once, not every tick: each update is a replicated row change.
            if (!waiting.contains(offer.rolloutId())) {
                store.state(offer.rolloutId(), "gating", verdict.reason(), verdict.figures(), null, () -> {});
                waiting.add(offer.rolloutId());
                LOG.infof("model rollout %s: %s", offer.rolloutId(), verdict.reason());
            }
            return;
        }
        if (verdict.passed()) {
            step(offer, install.previousVersion(), "succeeded", verdict.reason(), verdict.figures(), null, "info");
        } else {
            String reason = verdict.reason() + "; " + backTo(offer, install.previousVersion());
            String state = install.previousVersion() == null ? "failed" : "rolled-back";
            step(offer, install.previousVersion(), state, reason, verdict.figures(), null, "alarm");
        }
        // Only once the verdict is stored: a step the store refused is judged again, on the same figures, next tick.
        watches.remove(offer.rolloutId());
        waiting.remove(offer.rolloutId());
    }

    /** Activates the previous version when the new one is serving; @return what happened, for the reason */
    private String backTo(ModelOffer offer, String previous) {
        if (previous == null) {
            return "no previous version to return to";
        }
        boolean serving = registry.current(offer.name())
                .map(m -> m.version().equals(offer.version()))
                .orElse(false);
        if (!serving) {
            return "version " + offer.version() + " no longer serving; left as is";
        }
        try {
            registry.activate(offer.name(), previous);
            return "rolled back to " + previous;
        } catch (RuntimeException e) {
            return "rollback to " + previous + " failed: " + e.getMessage();
        }
    }

    private void cancel(String rolloutId) throws SQLException {
        Optional<InstallRecord> install = store.find(rolloutId);
        if (install.isEmpty()) {
            return;
        }
        if ("downloading".equals(install.get().state())) {
            step(install.get().offer(), install.get().previousVersion(), "cancelled", "cancelled", null, null, "info");
        } else {
            revert(rolloutId);
        }
    }

    private void revert(String rolloutId) throws SQLException {
        Optional<InstallRecord> install = store.find(rolloutId);
        if (install.isEmpty()
                || !("gating".equals(install.get().state())
                        || "succeeded".equals(install.get().state()))) {
            return;
        }
        ModelOffer offer = install.get().offer();
        String reason =
                "rollout aborted in the cloud; " + backTo(offer, install.get().previousVersion());
        step(offer, install.get().previousVersion(), "reverted", reason, null, null, "info");
        watches.remove(rolloutId);
        waiting.remove(rolloutId);
    }

    /**
     * Moves the rollout's replicated row to {@code state} and records the step's event in one transaction (review
     * r8): both or neither, so the cloud never sees a state without its event or the reverse.
     *
     * @throws SQLException when either write fails: neither is stored, the caller retries the step
     */
    private void step(
            ModelOffer offer,
            String previous,
            String state,
            String reason,
            Map<String, Object> gate,
            Instant installedAt,
            String severity)
            throws SQLException {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("rollout", offer.rolloutId());
        payload.put("model", offer.name());
        payload.put("version", offer.version());
        payload.put("previous", previous);
        payload.put("state", state);
        payload.put("reason", reason);
        store.state(
                offer.rolloutId(),
                state,
                reason,
                gate,
                installedAt,
                () -> events.record(null, "model.rollout." + state, severity, payload));
        LOG.infof("model rollout %s: %s %s %s: %s", offer.rolloutId(), offer.name(), offer.version(), state, reason);
    }
}

package dev.mecgw.cloud.modelrollout;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A model rollout in memory: loaded from PostgreSQL, moved by {@link ModelRolloutMachine}, stored again. Not
 * thread-safe: one tick at a time owns it.
 */
public final class ModelRollout {

    final String id;
    final ModelRolloutSpec spec;
    final List<Wave> waves = new ArrayList<>();
    RolloutState state;
    String reason;
    Instant createdAt;
    Instant updatedAt;

    ModelRollout(String id, ModelRolloutSpec spec, RolloutState state, String reason, Instant createdAt) {
        this.id = id;
        this.spec = spec;
        this.state = state;
        this.reason = reason;
        this.createdAt = createdAt;
        this.updatedAt = createdAt;
    }

    /** A new rollout: every wave pending, every site pending. */
    static ModelRollout plan(String id, ModelRolloutSpec spec, Instant now) {
        ModelRollout rollout = new ModelRollout(id, spec, RolloutState.RUNNING, null, now);
        for (int i = 0; i < spec.waves().size(); i++) {
            ModelRolloutSpec.PlannedWave planned = spec.waves().get(i);
            Wave wave = new Wave(i, planned.name(), WaveState.PENDING);
            for (String siteId : planned.sites()) {
                wave.sites.add(new Site(siteId, i, SiteState.PENDING, now));
            }
            rollout.waves.add(wave);
        }
        return rollout;
    }

    public String id() {
        return id;
    }

    public ModelRolloutSpec spec() {
        return spec;
    }

    public RolloutState state() {
        return state;
    }

    /** Why the rollout is in its state (abort reason, pause reason); null while it runs normally. */
    public String reason() {
        return reason;
    }

    Optional<Site> site(String siteId) {
        return waves.stream()
                .flatMap(w -> w.sites.stream())
                .filter(s -> s.siteId.equals(siteId))
                .findFirst();
    }

    List<Site> sites() {
        return waves.stream().flatMap(w -> w.sites.stream()).toList();
    }

    /** One wave. */
    static final class Wave {
        final int index;
        final String name;
        final List<Site> sites = new ArrayList<>();
        WaveState state;
        String reason;
        Instant startedAt;
        Instant endedAt;

        Wave(int index, String name, WaveState state) {
            this.index = index;
            this.name = name;
            this.state = state;
        }
    }

    /** One site of a wave. */
    static final class Site {
        final String siteId;
        final int wave;
        SiteState state;
        String reason;
        Instant since;
        /** When the site last reported more chunks; resends of missing chunks wait from here. */
        Instant progressAt;

        /** When missing chunks were last published again; the next resend waits from here. */
        Instant resentAt;

        int chunksReceived;
        int resentChunks;

        Site(String siteId, int wave, SiteState state, Instant since) {
            this.siteId = siteId;
            this.wave = wave;
            this.state = state;
            this.since = since;
        }
    }
}

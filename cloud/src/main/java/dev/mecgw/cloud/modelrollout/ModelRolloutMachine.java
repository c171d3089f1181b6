package dev.mecgw.cloud.modelrollout;

import dev.mecgw.cloud.problem.CloudException;
import dev.mecgw.cloud.problem.ErrorKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The model rollout state machine (issue 18 item 5), the one place model rollouts, their waves and sites change
 * state; shaped like the gateway's device {@code RolloutMachine}. Pure: each call moves a {@link ModelRollout} in
 * memory and returns the {@link Step} to store and publish. Two tables drive the sites: {@link #REPORTS} (what a
 * site's report moves it to) and {@link #TIMEOUTS} (how long a site may stay in a state and where it goes then), so
 * that nothing waits forever. Publishing states ({@code sending}, {@code cancelling}, {@code reverting}) are left by
 * {@link #published} once Kafka confirmed. Not thread-safe: callers serialize calls per rollout.
 */
public final class ModelRolloutMachine {

    /** A report's state → the site states it applies in, and where it moves the site. */
    public static final Map<String, Move> REPORTS = Map.of(
            "downloading", new Move(EnumSet.of(SiteState.SENT, SiteState.DOWNLOADING), SiteState.DOWNLOADING),
            "gating", new Move(EnumSet.of(SiteState.SENT, SiteState.DOWNLOADING), SiteState.GATING),
            "succeeded", new Move(inFlight(), SiteState.SUCCEEDED),
            "rolled-back", new Move(inFlight(), SiteState.ROLLED_BACK),
            "failed", new Move(inFlight(), SiteState.FAILED));

    /** A state's timeout, computed from the rollout's spec, and the state it leads to. */
    public static final Map<SiteState, Timeout> TIMEOUTS = timeouts();

    /** A report's move: applies when the site is in one of {@code from}. */
    public record Move(Set<SiteState> from, SiteState to) {}

    /** How long a state may last, and the next state. */
    public record Timeout(Function<ModelRolloutSpec, Duration> after, SiteState next) {}

    private final Clock clock;
    private final Duration resendAfter;

    /**
     * @param clock decides timeouts
     * @param resendAfter how long a downloading site may go without progress before its missing chunks are sent
     *     again (Kafka keeps them for a site that is only offline; this covers a lost topic or a wiped site)
     */
    public ModelRolloutMachine(Clock clock, Duration resendAfter) {
        this.clock = clock;
        this.resendAfter = resendAfter;
    }

    private static Set<SiteState> inFlight() {
        return EnumSet.of(SiteState.SENT, SiteState.DOWNLOADING, SiteState.GATING);
    }

    private static Map<SiteState, Timeout> timeouts() {
        Map<SiteState, Timeout> table = new EnumMap<>(SiteState.class);
        table.put(SiteState.SENT, new Timeout(ModelRolloutSpec::siteTimeout, SiteState.TIMED_OUT));
        table.put(SiteState.DOWNLOADING, new Timeout(ModelRolloutSpec::siteTimeout, SiteState.TIMED_OUT));
        // The site reports once its window closed (twice its length when a vision model's frames were too few to
        // judge); it may also be offline meanwhile.
        table.put(
                SiteState.GATING,
                new Timeout(spec -> spec.healthWindow().multipliedBy(2).plus(spec.siteTimeout()), SiteState.TIMED_OUT));
        return Map.copyOf(table);
    }

    /** Starts a planned rollout: its first wave runs. */
    public Step start(ModelRollout rollout) {
        Step step = new Step();
        advance(rollout, step, clock.instant());
        return step;
    }

    /**
     * Applies the sites' latest reports and the timeouts, judges the running wave and starts the next one.
     *
     * @param reports the latest report per site id; sites without one are absent
     */
    public Step tick(ModelRollout rollout, Map<String, SiteReport> reports) {
        Step step = new Step();
        if (rollout.state.terminal()) {
            return step;
        }
        Instant now = clock.instant();
        for (ModelRollout.Site site : rollout.sites()) {
            SiteReport report = reports.get(site.siteId);
            if (report != null) {
                report(rollout, site, report, step, now);
            }
            expire(rollout, site, report, step, now);
        }
        advance(rollout, step, now);
        return step;
    }

    /** Kafka confirmed what a publishing state sends: {@code sending} → {@code sent} and so on. */
    public Step published(ModelRollout rollout, String siteId) {
        Step step = new Step();
        Instant now = clock.instant();
        rollout.site(siteId).ifPresent(site -> {
            switch (site.state) {
                case SENDING -> {
                    site.progressAt = now;
                    move(rollout, site, SiteState.SENT, spec(rollout) + " published", step, now);
                }
                case CANCELLING -> move(rollout, site, SiteState.CANCELLED, "cancel published", step, now);
                case REVERTING -> move(rollout, site, SiteState.REVERTED, "revert published", step, now);
                default -> {
                    // confirmed twice, or moved on meanwhile
                }
            }
        });
        return step;
    }

    /** Operator pause: no wave starts until {@link #resume}; sites already sent to finish. */
    public Step pause(ModelRollout rollout, String reason) {
        require(rollout, RolloutState.RUNNING, "pause");
        Step step = new Step();
        moveRollout(rollout, RolloutState.PAUSED, reason, step, clock.instant());
        return step;
    }

    public Step resume(ModelRollout rollout) {
        require(rollout, RolloutState.PAUSED, "resume");
        Step step = new Step();
        Instant now = clock.instant();
        moveRollout(rollout, RolloutState.RUNNING, "resumed by operator", step, now);
        advance(rollout, step, now);
        return step;
    }

    /** Aborts: pending sites are cancelled, downloads cancelled, installed sites reverted to their previous model. */
    public Step abort(ModelRollout rollout, String reason) {
        if (rollout.state.terminal()) {
            throw new CloudException(
                    ErrorKind.CONFLICT,
                    "Model rollout " + rollout.id + " is already " + SiteState.label(rollout.state),
                    List.of(),
                    null);
        }
        Step step = new Step();
        abort(rollout, reason, step, clock.instant());
        return step;
    }

    private void report(ModelRollout rollout, ModelRollout.Site site, SiteReport report, Step step, Instant now) {
        if (report.chunksReceived() > site.chunksReceived) {
            site.chunksReceived = report.chunksReceived();
            site.progressAt = now;
        }
        Move move = REPORTS.get(report.state());
        if (move == null || !move.from().contains(site.state) || move.to() == site.state) {
            return;
        }
        String why = report.reason() == null ? "site reports " + report.state() : report.reason();
        move(rollout, site, move.to(), why, step, now);
    }

    private void expire(ModelRollout rollout, ModelRollout.Site site, SiteReport report, Step step, Instant now) {
        Timeout timeout = TIMEOUTS.get(site.state);
        if (timeout == null) {
            return;
        }
        Instant last = site.progressAt == null || site.progressAt.isBefore(site.since) ? site.since : site.progressAt;
        if (!now.isBefore(last.plus(timeout.after().apply(rollout.spec)))) {
            move(
                    rollout,
                    site,
                    timeout.next(),
                    "no progress within " + timeout.after().apply(rollout.spec) + " in state " + site.state.label(),
                    step,
                    now);
            return;
        }
        boolean downloading = site.state == SiteState.SENT || site.state == SiteState.DOWNLOADING;
        Instant quietSince = site.resentAt != null && site.resentAt.isAfter(last) ? site.resentAt : last;
        if (downloading && !now.isBefore(quietSince.plus(resendAfter))) {
            List<Integer> missing = report == null
                    ? allChunks(rollout.spec.chunks())
                    : ChunkRanges.parse(report.missing(), rollout.spec.chunks());
            if (!missing.isEmpty()) {
                site.resentChunks += missing.size();
                site.resentAt = now;
                step.resend(site.siteId, missing);
            }
        }
    }

    private static List<Integer> allChunks(int count) {
        List<Integer> all = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            all.add(i);
        }
        return all;
    }

    /** Judges the running wave and starts the next while the rollout runs. */
    private void advance(ModelRollout rollout, Step step, Instant now) {
        while (!rollout.state.terminal()) {
            ModelRollout.Wave running = rollout.waves.stream()
                    .filter(w -> w.state == WaveState.RUNNING)
                    .findFirst()
                    .orElse(null);
            if (running != null) {
                if (!judge(rollout, running, step, now)) {
                    return;
                }
                continue;
            }
            if (rollout.state != RolloutState.RUNNING) {
                return;
            }
            ModelRollout.Wave next = rollout.waves.stream()
                    .filter(w -> w.state == WaveState.PENDING)
                    .findFirst()
                    .orElse(null);
            if (next == null) {
                moveRollout(rollout, RolloutState.SUCCEEDED, "every wave succeeded", step, now);
                return;
            }
            next.startedAt = now;
            moveWave(rollout, next, WaveState.RUNNING, "started", step, now);
            for (ModelRollout.Site site : next.sites) {
                move(rollout, site, SiteState.SENDING, "wave " + next.name + " started", step, now);
            }
        }
    }

    /** @return true when the wave ended (succeeded, or failed and aborted the rollout) */
    private boolean judge(ModelRollout rollout, ModelRollout.Wave wave, Step step, Instant now) {
        List<ModelRollout.Site> failed =
                wave.sites.stream().filter(s -> s.state.failure()).toList();
        if (failed.size() > rollout.spec.maxFailedSites()) {
            ModelRollout.Site first = failed.get(0);
            String why = String.format(
                    Locale.ROOT,
                    "wave %s: %d of %d sites failed (tolerated %d); site %s %s: %s",
                    wave.name,
                    failed.size(),
                    wave.sites.size(),
                    rollout.spec.maxFailedSites(),
                    first.siteId,
                    first.state.label(),
                    first.reason);
            abort(rollout, why, step, now);
            return true;
        }
        if (!wave.sites.stream().allMatch(s -> s.state.settled())) {
            return false;
        }
        long succeeded =
                wave.sites.stream().filter(s -> s.state == SiteState.SUCCEEDED).count();
        wave.endedAt = now;
        moveWave(
                rollout,
                wave,
                WaveState.SUCCEEDED,
                succeeded + " of " + wave.sites.size() + " sites passed the health gate",
                step,
                now);
        return true;
    }

    private void abort(ModelRollout rollout, String reason, Step step, Instant now) {
        for (ModelRollout.Wave wave : rollout.waves) {
            for (ModelRollout.Site site : wave.sites) {
                switch (site.state) {
                    case PENDING -> move(rollout, site, SiteState.CANCELLED, "rollout aborted", step, now);
                    case SENDING, SENT, DOWNLOADING ->
                        move(rollout, site, SiteState.CANCELLING, "rollout aborted", step, now);
                    case GATING, SUCCEEDED -> move(rollout, site, SiteState.REVERTING, "rollout aborted", step, now);
                    default -> {
                        // settled: failed sites already went back to their previous model
                    }
                }
            }
            if (wave.state == WaveState.RUNNING) {
                wave.endedAt = now;
                moveWave(rollout, wave, WaveState.FAILED, reason, step, now);
            } else if (wave.state == WaveState.PENDING) {
                moveWave(rollout, wave, WaveState.CANCELLED, "rollout aborted", step, now);
            }
        }
        moveRollout(rollout, RolloutState.ABORTED, reason, step, now);
    }

    private static void move(
            ModelRollout rollout, ModelRollout.Site site, SiteState to, String reason, Step step, Instant now) {
        step.add(new Transition(rollout.id, "site", site.siteId, site.state.label(), to.label(), reason, now));
        site.state = to;
        site.reason = reason;
        site.since = now;
        rollout.updatedAt = now;
    }

    private static void moveWave(
            ModelRollout rollout, ModelRollout.Wave wave, WaveState to, String reason, Step step, Instant now) {
        step.add(new Transition(
                rollout.id, "wave", wave.name, SiteState.label(wave.state), SiteState.label(to), reason, now));
        wave.state = to;
        wave.reason = reason;
        rollout.updatedAt = now;
    }

    private static void moveRollout(ModelRollout rollout, RolloutState to, String reason, Step step, Instant now) {
        step.add(new Transition(
                rollout.id, "rollout", rollout.id, SiteState.label(rollout.state), SiteState.label(to), reason, now));
        rollout.state = to;
        rollout.reason = reason;
        rollout.updatedAt = now;
    }

    private static void require(ModelRollout rollout, RolloutState expected, String action) {
        if (rollout.state != expected) {
            throw new CloudException(
                    ErrorKind.CONFLICT,
                    "Cannot " + action + " model rollout " + rollout.id + ": it is " + SiteState.label(rollout.state),
                    List.of(),
                    null);
        }
    }

    private static String spec(ModelRollout rollout) {
        return "model " + rollout.spec.name() + " " + rollout.spec.version();
    }
}

package dev.mecgw.app.retention.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.app.gateway.StopDeadline;
import dev.mecgw.app.retention.RetentionConfig;
import dev.mecgw.app.retention.RetentionRun;
import dev.mecgw.app.store.HeldDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetentionScheduleTest {

    private final HeldDatabase database = new HeldDatabase();
    private final RetentionSchedule schedule = new RetentionSchedule(
            database,
            givenDefaults(),
            (device, kind, severity, payload) -> {},
            new SimpleMeterRegistry(),
            new StopDeadline());

    @Test
    void shouldWaitForARunInFlightAndStartNoneOnceSyncStopped() throws Exception {
        // Given retention started with sync
        schedule.onStart(null);

        // When SYNC stops while a scheduled run is in flight, held as it asks for its connection
        HeldDatabase.Stop stop = database.stopWhileHeld(schedule::scheduled, () -> schedule.onStop(null));

        // Then the stop waited for the run (before review 9's 4.1 it returned at once, and the run deleted on after
        // it) and returned once it ended; a later scheduled run does not reach the store
        assertThat(stop.waited()).isTrue();
        assertThat(stop.returned()).isTrue();
        assertThat(stop.laterRunReachedTheStore()).isFalse();
    }

    @Test
    void shouldEndARunBeforeItTouchesTheStoreOnceSyncStopped() {
        // Given retention started with sync, and SYNC's stop
        schedule.onStart(null);
        schedule.onStop(null);
        int connections = database.connections();

        // When a run is asked for after it (as a scheduled run that passed the gate just before it closed)
        Optional<RetentionRun> run = schedule.runNow();

        // Then the stop's signal reached the run: it stopped before asking the store for a connection (without the
        // signal it would have asked, and failed on this pool)
        assertThat(run)
                .hasValueSatisfying(stopped -> assertThat(stopped.stopped()).isTrue());
        assertThat(database.connections()).isEqualTo(connections);
    }

    private static RetentionConfig givenDefaults() {
        // Quarkus' converter reads the defaults' "10m"-style durations, as in the application.
        return new SmallRyeConfigBuilder()
                .withMapping(RetentionConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .build()
                .getConfigMapping(RetentionConfig.class);
    }
}

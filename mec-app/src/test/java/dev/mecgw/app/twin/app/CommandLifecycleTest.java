package dev.mecgw.app.twin.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.gateway.StopDeadline;
import dev.mecgw.app.store.HeldDatabase;
import dev.mecgw.app.twin.CommandDispatcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CommandLifecycleTest {

    private final HeldDatabase database = new HeldDatabase();
    // No device is reached: every store read fails before a command could be handed over.
    private final CommandDispatcher dispatcher = CommandDispatcher.onDatabase(database, null, null, new ObjectMapper());
    private final CommandLifecycle lifecycle = new CommandLifecycle(dispatcher, new StopDeadline());

    @AfterEach
    void closeTheDispatcher() {
        database.release();
        dispatcher.close();
    }

    @Test
    void shouldWaitForASweepInFlightAndSweepNoMoreWhenTheReportPhaseStopped() throws Exception {
        // Given the front-ends listen (the dispatcher's first read fails: no database)
        lifecycle.onStart(null);

        // When REPORT stops while a sweep is in flight, held as it asks for its connection
        HeldDatabase.Stop stop = database.stopWhileHeld(lifecycle::sweep, () -> lifecycle.onStop(null));

        // Then the stop waited for the sweep and returned once it ended, before the front-ends close; a later sweep
        // does not reach the store
        assertThat(stop.waited()).isTrue();
        assertThat(stop.returned()).isTrue();
        assertThat(stop.laterRunReachedTheStore()).isFalse();
    }
}

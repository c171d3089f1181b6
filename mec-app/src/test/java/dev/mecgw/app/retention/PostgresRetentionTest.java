package dev.mecgw.app.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a stop requested during a run deletes, against a real PostgreSQL (review 10, finding 5). */
class PostgresRetentionTest {

    @RegisterExtension
    static final RetentionTables tables = new RetentionTables();

    @Test
    void shouldEndAfterTheBatchUnderWayWhenAStopIsRequestedBetweenBatches() throws Exception {
        // Given seven expired events, pruned two a batch, and a stop requested once the first batch committed (as
        // SYNC's stop sets it while a run is under way)
        tables.givenEvents(7, 1);
        BooleanSupplier stopRequested = tables.stopOnceBatchesCommitted(1);

        // When the run goes
        RetentionRun run = tables.givenAStore(2).prune(stopRequested);

        // Then it ended before its second batch (without the check it deleted all seven, in four batches): the other
        // expired events wait for the next run, and the run says what it deleted and that it stopped
        assertThat(tables.events()).isEqualTo(6);
        assertThat(tables.markers()).isEqualTo(1);
        assertThat(run.stopped()).isTrue();
        assertThat(run.complete()).isFalse();
        assertThat(run.deleted()).containsExactly(Map.entry("events", 2L));
    }

    @Test
    void shouldDeleteNothingWhenTheStopWasRequestedBeforeTheRun() throws Exception {
        // Given expired events, and a stop already requested
        tables.givenEvents(3, 1);

        // When a run goes
        RetentionRun run = tables.givenAStore(2).prune(() -> true);

        // Then no batch ran
        assertThat(tables.events()).isEqualTo(4);
        assertThat(run.stopped()).isTrue();
        assertThat(run.total()).isZero();
    }

    @Test
    void shouldLeaveTheMarkersWhenTheStopCameAfterTheLastBatch() throws Exception {
        // Given expired events, all pruned in one batch, and a stop requested once that batch committed
        tables.givenEvents(1, 1);
        BooleanSupplier stopRequested = tables.stopOnceBatchesCommitted(1);

        // When the run goes
        RetentionRun run = tables.givenAStore(2).prune(stopRequested);

        // Then the events are pruned to their cutoff, but the batch's marker, old enough to drop, is kept: dropping
        // markers deletes too, and the run stopped before that step
        assertThat(tables.markers()).isEqualTo(1);
        assertThat(tables.events()).isEqualTo(1);
        assertThat(run.stopped()).isTrue();
        assertThat(run.complete()).isTrue();
        assertThat(run.deleted()).containsExactly(Map.entry("events", 1L));
    }

    @Test
    void shouldPruneEveryBatchAndDropMarkersWhenNoStopIsRequested() throws Exception {
        // Given seven expired events, pruned two a batch
        tables.givenEvents(7, 1);

        // When a run goes without a stop
        RetentionRun run = tables.givenAStore(2).prune(() -> false);

        // Then it deleted them all in four batches, and then the four batches' markers, old enough to drop
        assertThat(run.stopped()).isFalse();
        assertThat(run.complete()).isTrue();
        assertThat(run.deleted())
                .containsExactly(Map.entry("events", 7L), Map.entry(PostgresRetention.MARKS_TABLE, 4L));
        assertThat(tables.events()).isEqualTo(1);
        assertThat(tables.markers()).isZero();
    }
}

package dev.mecgw.sync.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TransactionBoundariesTest {

    private final TransactionBoundaries boundaries = new TransactionBoundaries();

    @Test
    void shouldBeOpenFromTheFirstChangeUntilEndWhenMarkersFrameTheChanges() {
        // given / when: BEGIN (not open yet) and a first change
        boundaries.observe(DebeziumRecords.transactionMarker("BEGIN", "740:100", 100, null));
        assertThat(boundaries.open()).isFalse();
        boundaries.observe(DebeziumRecords.changeInTransaction(1, 101, "740:100"));
        // then
        assertThat(boundaries.open()).isTrue();
        // when: its END
        boundaries.observe(DebeziumRecords.transactionMarker("END", "740:100", 102, 1L));
        // then
        assertThat(boundaries.open()).isFalse();
    }

    @Test
    void shouldBeOpenWhenAChangeCarriesItsTransactionAfterARestartWithoutBegin() {
        // given: a restart in the middle of a transaction; Debezium continues it without a new BEGIN
        // when
        boundaries.observe(DebeziumRecords.changeInTransaction(2, 103, "740:100"));
        // then
        assertThat(boundaries.open()).isTrue();
        boundaries.observe(DebeziumRecords.transactionMarker("END", "740:100", 104, 2L));
        assertThat(boundaries.open()).isFalse();
    }

    @Test
    void shouldStayClosedThroughTransactionsWithoutCapturedChanges() {
        // when: PostgreSQL 14 streams BEGIN and END of transactions that touched no captured table
        boundaries.observe(DebeziumRecords.transactionMarker("BEGIN", "741:200", 200, null));
        assertThat(boundaries.open()).isFalse();
        boundaries.observe(DebeziumRecords.transactionMarker("END", "741:200", 201, 0L));
        // then
        assertThat(boundaries.open()).isFalse();
    }

    @Test
    void shouldStayClosedWhenTheStreamHasNoTransactionMetadata() {
        // when: plain changes and a heartbeat, as without provide.transaction.metadata
        boundaries.observe(DebeziumRecords.change("c", 1, 101));
        boundaries.observe(DebeziumRecords.heartbeat());
        // then
        assertThat(boundaries.open()).isFalse();
    }
}

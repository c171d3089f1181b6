package dev.mecgw.sync.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChangeEventMapperTest {

    private final ChangeEventMapper mapper = new ChangeEventMapper("site-a", 7L);

    @Test
    void shouldCarrySiteTableOpLsnKeyAndRowWhenRecordIsAnInsert() {
        // given
        var record = DebeziumRecords.change("c", 42, 1000);
        // when
        Optional<ChangeEvent> event = mapper.map(record);
        // then
        assertThat(event).hasValueSatisfying(e -> {
            assertThat(e.siteId()).isEqualTo("site-a");
            assertThat(e.table()).isEqualTo("public.t");
            assertThat(e.op()).isEqualTo(ChangeEvent.Op.CREATE);
            assertThat(e.lsn()).isEqualTo(1000);
            assertThat(e.generation()).isEqualTo(7L);
            assertThat(e.key()).isEqualTo("{\"id\":42}");
            assertThat(e.commitTime()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
            assertThat(e.after()).containsEntry("id", 42L).containsEntry("at", "2023-11-14T22:13:20.123456Z");
        });
    }

    @Test
    void shouldHaveNoRowWhenRecordIsADelete() {
        // when
        Optional<ChangeEvent> event = mapper.map(DebeziumRecords.change("d", 7, 2000));
        // then
        assertThat(event).hasValueSatisfying(e -> {
            assertThat(e.op()).isEqualTo(ChangeEvent.Op.DELETE);
            assertThat(e.after()).isNull();
        });
    }

    @Test
    void shouldSkipDeleteButKeepInsertWhenTheirTransactionIsARetentionPrune() {
        // given: transaction 77 was a retention prune at the site (issue 14 item 4)
        ChangeEventMapper retaining = new ChangeEventMapper("site-a", 7L, txId -> txId == 77);

        // when / then: its deletes stay at the site, an operator's delete (transaction 78) leaves it
        assertThat(retaining.map(DebeziumRecords.change("d", 1, 3000, 77))).isEmpty();
        assertThat(retaining.map(DebeziumRecords.change("c", 2, 3100, 77))).isPresent();
        assertThat(retaining.map(DebeziumRecords.change("d", 3, 3200, 78)))
                .hasValueSatisfying(e -> assertThat(e.op()).isEqualTo(ChangeEvent.Op.DELETE));
    }

    @Test
    void shouldSkipWhenRecordIsAHeartbeat() {
        assertThat(mapper.map(DebeziumRecords.heartbeat())).isEmpty();
    }
}

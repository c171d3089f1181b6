package dev.mecgw.sync.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.sync.cdc.ChangeEvent;
import dev.mecgw.sync.cdc.ChangeEvent.Op;
import dev.mecgw.sync.cdc.ChangeSink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class FilteringChangeSinkTest {

    private final List<ChangeEvent> received = new ArrayList<>();
    private final ChangeSink recorder = new ChangeSink() {
        @Override
        public CompletableFuture<Void> send(ChangeEvent event) {
            received.add(event);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {}
    };

    @Test
    void shouldKeepRowLocalButCompleteWhenInsertFailsFilter() {
        // given
        FilteringChangeSink sink = givenASink();
        // when
        CompletableFuture<Void> ack = sink.send(event(Op.CREATE, "debug"));
        // then
        assertThat(ack).isCompleted();
        assertThat(received).isEmpty();
    }

    @Test
    void shouldSendRowWhenInsertPassesFilter() {
        // when
        givenASink().send(event(Op.CREATE, "alarm"));
        // then
        assertThat(received).singleElement().extracting(ChangeEvent::op).isEqualTo(Op.CREATE);
    }

    @Test
    void shouldSendKeyOnlyDeleteWhenUpdateLeavesFilter() {
        // when
        givenASink().send(event(Op.UPDATE, "debug"));
        // then
        assertThat(received).singleElement().satisfies(e -> {
            assertThat(e.op()).isEqualTo(Op.DELETE);
            assertThat(e.after()).isNull();
            assertThat(e.key()).isEqualTo("{\"id\":7}");
            assertThat(e.lsn()).isEqualTo(42);
        });
    }

    @Test
    void shouldPassDeletesAndOtherTablesWhenFiltering() {
        // given
        FilteringChangeSink sink = givenASink();
        // when
        sink.send(new ChangeEvent("s", "public.events", Op.DELETE, 43, Instant.now(), "{\"id\":7}", null));
        sink.send(new ChangeEvent(
                "s", "public.devices", Op.CREATE, 44, Instant.now(), "{\"id\":1}", Map.of("id", 1, "kind", "debug")));
        // then
        assertThat(received).extracting(ChangeEvent::lsn).containsExactly(43L, 44L);
    }

    @Test
    void shouldFilterOnSiteValuesThenMaskWhenBuiltWithMasks() {
        // given: the filter and the mask on the same column
        ChangeSink sink = FilteringChangeSink.withMasks(
                recorder,
                Map.of("public.events", RowFilter.parse("public.events", "kind <> 'debug'")),
                List.of("public.events.kind"),
                Map.of(),
                new byte[32]);
        // when
        sink.send(event(Op.CREATE, "debug"));
        sink.send(event(Op.CREATE, "alarm"));
        // then: the filter saw the site's value, the cloud gets only the mask
        assertThat(received)
                .singleElement()
                .satisfies(
                        e -> assertThat(String.valueOf(e.after().get("kind"))).startsWith("hmac:"));
    }

    private FilteringChangeSink givenASink() {
        return new FilteringChangeSink(
                recorder, Map.of("public.events", RowFilter.parse("public.events", "kind <> 'debug'")));
    }

    private static ChangeEvent event(Op op, String kind) {
        return new ChangeEvent(
                "s", "public.events", op, 42, Instant.now(), "{\"id\":7}", Map.of("id", 7, "kind", kind));
    }
}

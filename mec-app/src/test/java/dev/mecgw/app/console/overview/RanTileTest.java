package dev.mecgw.app.console.overview;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.app.ran.RanNetwork;
import dev.mecgw.ran.transport.ApiCalls;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 19: the Overview's 5G tile says what was measured (last calls, located cells) and "unknown" otherwise. */
class RanTileTest {

    private static final Instant AT = Instant.parse("2026-12-06T04:00:00Z");

    @Test
    void shouldSayOffWhenIntegrationIsNotConfigured() {
        assertThat(new RanTile(RanNetwork.off()).lines()).containsExactly("off (mecgw.ran not configured)");
    }

    @Test
    void shouldShowNewestCallOfFamilyWhenPeersWereCalled() {
        // given MEC 011 answered twice (the newer with 503), MEC 012 never answered
        List<ApiCalls.Call> calls = List.of(
                new ApiCalls.Call("mec_app_support", "POST /mec_app_support/v1/confirm_ready", 204, AT, null),
                new ApiCalls.Call(
                        "mec_service_mgmt", "POST /mec_service_mgmt/v1/services", 503, AT.plusSeconds(5), null),
                new ApiCalls.Call("rni", "POST /rni/v2/subscriptions", 0, AT, "Connection refused"));

        // then
        assertThat(RanTile.reachability(calls, a -> a.startsWith("mec_"), true))
                .isEqualTo("answering with errors (HTTP 503 to POST /mec_service_mgmt/v1/services at"
                        + " 2026-12-06T04:00:05Z)");
        assertThat(RanTile.reachability(calls, "rni"::equals, true))
                .isEqualTo("unreachable (no answer at 2026-12-06T04:00:00Z: Connection refused)");
        assertThat(RanTile.reachability(calls, "location"::equals, true)).isEqualTo("unknown (no call yet)");
        assertThat(RanTile.reachability(calls, a -> a.startsWith("3gpp-"), false))
                .isEqualTo("not configured");
        assertThat(RanTile.reachability(
                        List.of(new ApiCalls.Call("3gpp-as-session-with-qos", "POST /q", 201, AT, null)),
                        a -> a.startsWith("3gpp-"),
                        true))
                .startsWith("reachable (HTTP 201");
    }

    @Test
    void shouldListCellsByDevicesWhenDevicesWereLocated() {
        assertThat(RanTile.cells(Map.of())).isEqualTo("unknown (no device located yet)");
        assertThat(RanTile.cells(Map.of("cell-a", 1))).isEqualTo("1 cell: cell-a (1 device)");
        assertThat(RanTile.cells(Map.of("c1", 1, "c2", 5, "c3", 2, "c4", 1, "c5", 1, "c6", 3, "c7", 1)))
                .isEqualTo("7 cells: c2 (5 devices), c6 (3 devices), c3 (2 devices), c1 (1 device), c4 (1 device),"
                        + " and 2 more");
    }
}

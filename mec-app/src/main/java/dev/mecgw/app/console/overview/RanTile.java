package dev.mecgw.app.console.overview;

import dev.mecgw.app.ran.RanNetwork;
import dev.mecgw.ran.presence.NetworkPresence;
import dev.mecgw.ran.transport.ApiCalls;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The Overview's 5G tile (issue 19): whether the NEF and the MEC platform (MEC 011 application support and service
 * management, MEC 012 RNIS, MEC 013 location) answered their last call, when, and the cells the site's devices were
 * last located in. Only what the gateway measured: "unknown" where no call was made or no location reported.
 */
final class RanTile {

    /** Cells named on the tile; more are counted. */
    static final int MAX_CELLS = 5;

    private final RanNetwork ran;

    RanTile(RanNetwork ran) {
        this.ran = ran;
    }

    /** The tile's lines. */
    List<String> lines() {
        if (!ran.enabled()) {
            return List.of("off (mecgw.ran not configured)");
        }
        List<ApiCalls.Call> calls = ran.calls().map(ApiCalls::last).orElse(List.of());
        boolean nef = ran.qos().isPresent();
        boolean mec = ran.mecConfigured();
        List<String> lines = new ArrayList<>();
        lines.add("NEF: " + reachability(calls, api -> api.startsWith("3gpp-"), nef));
        lines.add("MEC 011: "
                + reachability(calls, api -> api.equals("mec_app_support") || api.equals("mec_service_mgmt"), mec));
        lines.add("MEC 012 RNIS: " + reachability(calls, "rni"::equals, mec));
        lines.add("MEC 013 location: " + reachability(calls, "location"::equals, mec));
        lines.add("Cells: "
                + cells(ran.presence().map(NetworkPresence::devicesPerCell).orElse(Map.of())));
        lines.add("NEF monitoring: " + (ran.presence().isPresent() && nef ? "subscribed" : "not running"));
        lines.add("simulator: " + (ran.simulator().isPresent() ? "yes" : "no"));
        return lines;
    }

    /** The newest call of the APIs that {@code api} selects, as a reachability line. */
    static String reachability(List<ApiCalls.Call> calls, Predicate<String> api, boolean configured) {
        if (!configured) {
            return "not configured";
        }
        Optional<ApiCalls.Call> newest =
                calls.stream().filter(c -> api.test(c.api())).max(Comparator.comparing(ApiCalls.Call::at));
        if (newest.isEmpty()) {
            return "unknown (no call yet)";
        }
        ApiCalls.Call call = newest.get();
        if (!call.answered()) {
            return "unreachable (no answer at " + call.at() + ": " + call.failure() + ")";
        }
        return (call.status() < 500 ? "reachable" : "answering with errors") + " (HTTP " + call.status() + " to "
                + call.request() + " at " + call.at() + ")";
    }

    /** Devices per cell, most devices first, at most {@value #MAX_CELLS} named. */
    static String cells(Map<String, Integer> devicesPerCell) {
        if (devicesPerCell.isEmpty()) {
            return "unknown (no device located yet)";
        }
        List<Map.Entry<String, Integer>> sorted = devicesPerCell.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue()
                        .reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .toList();
        StringBuilder out =
                new StringBuilder().append(sorted.size()).append(sorted.size() == 1 ? " cell: " : " cells: ");
        for (int i = 0; i < Math.min(MAX_CELLS, sorted.size()); i++) {
            Map.Entry<String, Integer> cell = sorted.get(i);
            out.append(i == 0 ? "" : ", ")
                    .append(cell.getKey())
                    .append(" (")
                    .append(cell.getValue())
                    .append(cell.getValue() == 1 ? " device)" : " devices)");
        }
        if (sorted.size() > MAX_CELLS) {
            out.append(", and ").append(sorted.size() - MAX_CELLS).append(" more");
        }
        return out.toString();
    }
}

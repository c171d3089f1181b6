package dev.mecgw.app.ota;

import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /api/v1/rollouts} as sent; {@link RolloutPlanner} validates it field by field.
 *
 * @param artifact name of a stored artifact (required)
 * @param version the version devices report once updated (required)
 * @param selector which devices the percentage waves draw from; absent means every device
 * @param waves one or more waves (required)
 * @param successThreshold healthy share (0-1) a wave needs; default 0.95
 * @param errorThreshold failures that abort; default 5 % from 3 devices
 * @param healthWindow ISO-8601 duration an installed device is watched; default PT5M
 * @param deviceTimeout ISO-8601 duration a notified device may take; default PT30M
 * @param onWaveSuccess {@code next} (default) or {@code pause}
 */
public record RolloutRequest(
        String artifact,
        String version,
        Selector selector,
        List<WaveRequest> waves,
        Double successThreshold,
        ErrorThreshold errorThreshold,
        String healthWindow,
        String deviceTimeout,
        String onWaveSuccess) {

    /** @param type a device type, null for any; @param labels labels each device must carry */
    public record Selector(String type, Map<String, String> labels) {}

    /** Either {@code devices} or {@code percent} (1-100 of the selected devices not in an earlier wave). */
    public record WaveRequest(String name, List<String> devices, Integer percent) {}

    /** @param percent failed share in percent; @param minDevices failures needed before the share counts */
    public record ErrorThreshold(Double percent, Integer minDevices) {}
}

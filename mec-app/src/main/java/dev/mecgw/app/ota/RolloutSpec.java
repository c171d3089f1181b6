package dev.mecgw.app.ota;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What an operator asked for in {@code POST /api/v1/rollouts}, validated ({@link RolloutSpecs}).
 *
 * @param artifact the artifact name in the artifact store
 * @param version the firmware version the devices must report once updated
 * @param selectorType the device type the rollout targets, or null for any
 * @param selectorLabels labels every targeted device must carry
 * @param waves in order; the first is usually a canary
 * @param successThreshold share (0-1) of a wave's devices that must end healthy for the wave to succeed
 * @param errorPercent failed or timed-out share, in percent, of a wave that aborts the rollout
 * @param errorMinDevices the error threshold applies only from this many failed devices on
 * @param healthWindow how long an installed device is watched before it counts as healthy
 * @param deviceTimeout how long a notified device may take to install
 * @param pauseAfterWave whether the rollout pauses after each successful wave ({@code onWaveSuccess: pause})
 * @param size the artifact's length in bytes when the rollout was created
 * @param sha256 the artifact's SHA-256 (hex) when the rollout was created; devices check it
 * @param signature the site's Ed25519 signature over name, version and SHA-256 ({@link FirmwareSigner}), Base64
 */
public record RolloutSpec(
        String artifact,
        String version,
        String selectorType,
        Map<String, String> selectorLabels,
        List<WaveSpec> waves,
        double successThreshold,
        double errorPercent,
        int errorMinDevices,
        Duration healthWindow,
        Duration deviceTimeout,
        boolean pauseAfterWave,
        long size,
        String sha256,
        String signature) {

    /**
     * One wave: either explicit devices or a percentage of the targeted devices not in an earlier wave.
     *
     * @param name shown in the rollout view
     * @param devices explicit device ids, empty when {@code percent} is used
     * @param percent share (1-100) of the remaining targeted devices, 0 when {@code devices} is used
     */
    public record WaveSpec(String name, List<String> devices, int percent) {}
}

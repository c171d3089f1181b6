package dev.mecgw.app.ota;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The JSON shape of a rollout in the REST API: state and reason, and per wave and per device their progress. */
final class RolloutView {

    private RolloutView() {}

    static Map<String, Object> of(Rollout rollout) {
        Map<String, Object> view = new LinkedHashMap<>();
        RolloutSpec spec = rollout.spec();
        view.put("id", rollout.id());
        view.put("artifact", spec.artifact());
        view.put("version", spec.version());
        view.put("state", RolloutMachine.lower(rollout.state()));
        view.put("reason", rollout.reason());
        view.put("createdAt", rollout.createdAt().toString());
        view.put("updatedAt", rollout.updatedAt().toString());
        view.put("successThreshold", spec.successThreshold());
        view.put("errorThreshold", Map.of("percent", spec.errorPercent(), "minDevices", spec.errorMinDevices()));
        view.put("healthWindow", spec.healthWindow().toString());
        view.put("deviceTimeout", spec.deviceTimeout().toString());
        view.put("onWaveSuccess", spec.pauseAfterWave() ? "pause" : "next");
        view.put("waves", rollout.waves().stream().map(RolloutView::wave).toList());
        // Devices adopted after the rollout succeeded, apart from the waves whose verdicts they never change.
        Map<String, Object> adopted = new LinkedHashMap<>();
        adopted.put("counts", counts(rollout.adopted()));
        adopted.put(
                "devices", rollout.adopted().stream().map(RolloutView::device).toList());
        view.put("adopted", adopted);
        return view;
    }

    private static Map<String, Object> wave(Wave wave) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", wave.name());
        view.put("state", RolloutMachine.lower(wave.state()));
        view.put("reason", wave.reason());
        view.put("startedAt", text(wave.startedAt()));
        view.put("endedAt", text(wave.endedAt()));
        List<Map<String, Object>> devices =
                wave.devices().stream().map(RolloutView::device).toList();
        view.put("counts", counts(wave.devices()));
        view.put("devices", devices);
        return view;
    }

    /** Devices per state, so that timeouts show as their own failure type next to failed (issue 18 item 2). */
    private static Map<String, Long> counts(List<DeviceRollout> devices) {
        Map<String, Long> counts = new TreeMap<>();
        devices.forEach(d -> counts.merge(RolloutMachine.lower(d.state()), 1L, Long::sum));
        return counts;
    }

    private static Map<String, Object> device(DeviceRollout device) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", device.deviceId());
        view.put("state", RolloutMachine.lower(device.state()));
        view.put("result", device.result());
        view.put("error", device.error());
        view.put("since", device.since().toString());
        view.put("notifiedAt", text(device.notifiedAt()));
        view.put("installedAt", text(device.installedAt()));
        if (device.adoptedAt() != null) {
            view.put("adoptedAt", device.adoptedAt().toString());
        }
        return view;
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}

package dev.mecgw.cloud.modelrollout;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds the API view of a rollout from its states and its sites' reports. */
final class ModelRolloutViews {

    private ModelRolloutViews() {}

    static ModelRolloutView of(ModelRollout rollout, Map<String, Object[]> details, Map<String, SiteReport> reports) {
        List<ModelRolloutView.WaveView> waves = new ArrayList<>();
        for (ModelRollout.Wave wave : rollout.waves) {
            List<ModelRolloutView.SiteView> sites = new ArrayList<>();
            for (ModelRollout.Site site : wave.sites) {
                Object[] detail = details.getOrDefault(site.siteId, new Object[3]);
                SiteReport report = reports.get(site.siteId);
                sites.add(new ModelRolloutView.SiteView(
                        site.siteId,
                        site.state.label(),
                        site.reason,
                        site.since,
                        report == null ? site.chunksReceived : report.chunksReceived(),
                        site.resentChunks,
                        (String) detail[0],
                        (String) detail[1],
                        (JsonNode) detail[2]));
            }
            waves.add(new ModelRolloutView.WaveView(
                    wave.name, SiteState.label(wave.state), wave.reason, wave.startedAt, wave.endedAt, sites));
        }
        ModelRolloutSpec spec = rollout.spec;
        return new ModelRolloutView(
                rollout.id,
                spec.name(),
                spec.version(),
                spec.sha256(),
                spec.size(),
                spec.chunks(),
                SiteState.label(rollout.state),
                rollout.reason,
                rollout.createdAt,
                rollout.updatedAt,
                waves);
    }
}

package dev.mecgw.app.twin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The reported half of a device twin with its versions, as one read returns them: a version tells a report the device
 * sent after another from the same document read again (an OTA rollout moves a device only on a firmware report sent
 * after it notified it or timed it out, docs/ota.md).
 *
 * @param version the twin's {@code reported_version}: every report the device sends raises it
 * @param reported the merged reported document, a JSON object
 * @param keyVersions per top-level key of {@code reported}: the {@code version} of the last report that carried it
 */
public record ReportedTwin(long version, JsonNode reported, Map<String, Long> keyVersions) {

    public ReportedTwin {
        keyVersions = Map.copyOf(keyVersions);
    }

    /** A twin read without per-key versions: every key counts as reported at {@code version}. */
    public ReportedTwin(long version, JsonNode reported) {
        this(version, reported, Map.of());
    }

    /**
     * The version of the last report that carried the top-level {@code key}: a report of another key (a sensor setting)
     * leaves it as it was, a report of the key raises it even when its value did not change. The twin's
     * {@link #version} when the read gave none.
     */
    public long versionOf(String key) {
        return keyVersions.getOrDefault(key, version);
    }
}

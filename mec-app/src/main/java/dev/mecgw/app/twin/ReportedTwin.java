package dev.mecgw.app.twin;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The reported half of a device twin with its version, as one read returns them: the version tells a report the device
 * sent after another from the same document read again (an OTA rollout picks up a timed-out device only on a later
 * report, docs/ota.md).
 *
 * @param version the twin's {@code reported_version}: every report the device sends raises it
 * @param reported the merged reported document, a JSON object
 */
public record ReportedTwin(long version, JsonNode reported) {}

package dev.mecgw.app.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.telemetry.Reading;
import java.io.IOException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses telemetry payloads shared by all front-ends:
 * <ul>
 * <li>a JSON object of metric name to number, with an optional {@code ts} (ISO-8601 string or epoch
 * milliseconds) that applies to all values; without it the receive time is used;</li>
 * <li>SenML JSON (RFC 8428): an array of records with base name/time, names, numeric values {@code v}
 * and times {@code t} in seconds (absolute, or relative to now below 2^28, RFC 8428 section 4.5.3).</li>
 * </ul>
 * Every reading time must lie in the accepted window ({@code mecgw.ingest.earliest-timestamp} up to now plus
 * {@code mecgw.ingest.max-future-skew}): a time the store cannot hold would otherwise fail the whole group-commit
 * batch, and with it other devices' readings (issue 15).
 * Failures are {@link GatewayException}s of kind BAD_REQUEST whose message names the problem. Thread-safe.
 */
public class TelemetryPayloadParser {

    /** RFC 8428: times below 2^28 seconds are relative to now. */
    private static final double RELATIVE_TIME_LIMIT = 268_435_456d;

    private static final int MAX_METRIC_LENGTH = 128;
    private static final String TS_FORMAT = "ts must be an ISO-8601 date-time with offset or epoch milliseconds";

    private final ObjectMapper json;
    private final Clock clock;
    private final Instant earliest;
    private final Duration maxFutureSkew;

    /**
     * @param json parser factory
     * @param clock the "now" of the accepted window
     * @param earliest oldest accepted reading time
     * @param maxFutureSkew how far past now a reading time may lie (device clocks drift)
     */
    public TelemetryPayloadParser(ObjectMapper json, Clock clock, Instant earliest, Duration maxFutureSkew) {
        this.json = json;
        this.clock = clock;
        this.earliest = earliest;
        this.maxFutureSkew = maxFutureSkew;
    }

    /**
     * @param deviceId the authenticated device
     * @param payload raw bytes as received
     * @param receivedAt used when the payload carries no time
     * @return at least one reading
     */
    public List<Reading> parse(String deviceId, byte[] payload, Instant receivedAt) {
        List<Reading> readings;
        // The common object form is read token by token (no tree: this runs once per device message);
        // SenML arrays go through the tree shared with SenML CBOR.
        try (JsonParser in = json.getFactory().createParser(payload)) {
            JsonToken first = in.nextToken();
            if (first == null) {
                throw bad("payload is empty");
            }
            readings = first == JsonToken.START_OBJECT
                    ? object(deviceId, in, receivedAt)
                    : first == JsonToken.START_ARRAY ? senml(deviceId, json.readTree(in), receivedAt) : null;
        } catch (JsonProcessingException e) {
            throw bad("payload is not valid JSON");
        } catch (IOException e) {
            throw bad("payload cannot be read");
        }
        if (readings == null) {
            throw bad("payload must be a JSON object of metric to number, or a SenML array");
        }
        if (readings.isEmpty()) {
            throw bad("payload holds no numeric value");
        }
        return readings;
    }

    /** Parses SenML already decoded into a tree (shared with SenML CBOR, which decodes to the same tree). */
    public List<Reading> senml(String deviceId, JsonNode pack, Instant receivedAt) {
        List<Reading> readings = new ArrayList<>(pack.size());
        Instant latest = latest();
        String baseName = "";
        double baseTime = 0;
        for (int i = 0; i < pack.size(); i++) {
            JsonNode record = pack.get(i);
            if (!record.isObject()) {
                throw bad("SenML record " + i + " is not an object");
            }
            if (record.has("bn")) {
                baseName = record.get("bn").asText();
            }
            if (record.has("bt")) {
                baseTime = number(record.get("bt"), "SenML record " + i + " bt");
            }
            if (!record.has("v")) {
                // String, boolean and data values (vs, vb, vd) are not telemetry numbers; skip them.
                continue;
            }
            String name = baseName + (record.has("n") ? record.get("n").asText() : "");
            double value = number(record.get("v"), "SenML record " + i + " v");
            double time = baseTime + (record.has("t") ? number(record.get("t"), "SenML record " + i + " t") : 0);
            Instant ts = within(senmlTime(time, receivedAt, i), latest, "SenML record " + i + " time");
            readings.add(new Reading(deviceId, metric(name, "SenML record " + i + " name"), ts, value));
        }
        return readings;
    }

    private static Instant senmlTime(double time, Instant receivedAt, int record) {
        try {
            return time == 0
                    ? receivedAt
                    : time < RELATIVE_TIME_LIMIT
                            ? receivedAt.plusNanos((long) (time * 1e9))
                            : Instant.ofEpochSecond((long) Math.floor(time), (long) ((time - Math.floor(time)) * 1e9));
        } catch (DateTimeException | ArithmeticException e) {
            // Beyond Instant's range: a SenML time of 1e300 must be a refusal, not a 500.
            throw bad("SenML record " + record + " time is out of range");
        }
    }

    private Instant latest() {
        return clock.instant().plus(maxFutureSkew);
    }

    /** Refuses reading times outside the accepted window, naming the window (issue 15). */
    private Instant within(Instant ts, Instant latest, String what) {
        if (ts.isBefore(earliest) || ts.isAfter(latest)) {
            throw bad(what + " must lie between " + earliest + " and now + " + maxFutureSkew);
        }
        return ts;
    }

    /** Reads an object of metric to number from its first field on; a later duplicate metric replaces the earlier. */
    private List<Reading> object(String deviceId, JsonParser in, Instant receivedAt) throws IOException {
        Instant ts = receivedAt;
        Map<String, Double> values = new LinkedHashMap<>();
        for (String field = in.nextFieldName(); field != null; field = in.nextFieldName()) {
            JsonToken value = in.nextToken();
            if (field.equals("ts")) {
                ts = within(timestamp(in, value), latest(), "ts");
            } else {
                values.put(metric(field, "metric name"), number(in, value, field));
            }
        }
        List<Reading> readings = new ArrayList<>(values.size());
        for (Map.Entry<String, Double> value : values.entrySet()) {
            readings.add(new Reading(deviceId, value.getKey(), ts, value.getValue()));
        }
        return readings;
    }

    private static Instant timestamp(JsonParser in, JsonToken ts) throws IOException {
        if (ts == JsonToken.VALUE_NUMBER_INT && in.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            return Instant.ofEpochMilli(in.getLongValue());
        }
        if (ts == JsonToken.VALUE_STRING) {
            try {
                return OffsetDateTime.parse(in.getText()).toInstant();
            } catch (DateTimeParseException e) {
                throw bad(TS_FORMAT);
            }
        }
        throw bad(TS_FORMAT);
    }

    /** The message names the metric only on failure: this runs for every value of every message. */
    private static double number(JsonParser in, JsonToken token, String metric) throws IOException {
        if (token == null || !token.isNumeric() || !Double.isFinite(in.getDoubleValue())) {
            throw bad("metric '" + metric + "' must be a finite number");
        }
        return in.getDoubleValue();
    }

    private static double number(JsonNode node, String what) {
        if (node == null || !node.isNumber() || !Double.isFinite(node.asDouble())) {
            throw bad(what + " must be a finite number");
        }
        return node.asDouble();
    }

    private static String metric(String name, String what) {
        boolean printable = !name.isEmpty() && name.length() <= MAX_METRIC_LENGTH;
        for (int i = 0; printable && i < name.length(); i++) {
            printable = !Character.isISOControl(name.charAt(i));
        }
        if (!printable) {
            throw bad(what + " must be 1.." + MAX_METRIC_LENGTH + " printable characters");
        }
        return name;
    }

    private static GatewayException bad(String message) {
        return new GatewayException(ErrorKind.BAD_REQUEST, message);
    }
}

package dev.mecgw.app.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.telemetry.Reading;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses telemetry payloads shared by all front-ends:
 * <ul>
 * <li>a JSON object of metric name to number, with an optional {@code ts} (ISO-8601 string or epoch
 * milliseconds) that applies to all values; without it the receive time is used;</li>
 * <li>SenML JSON and SenML CBOR (RFC 8428), resolved by {@link SenmlResolver}.</li>
 * </ul>
 * Every reading time must lie in the accepted window ({@code mecgw.ingest.earliest-timestamp} up to now plus
 * {@code mecgw.ingest.max-future-skew}): a time the store cannot hold would otherwise fail the whole group-commit
 * batch, and with it other devices' readings (issue 15); for SenML it is applied to the resolved records.
 * Failures are {@link GatewayException}s of kind BAD_REQUEST whose message names the problem. Thread-safe.
 */
public class TelemetryPayloadParser {

    /** The media type of SenML CBOR (RFC 8428 section 12.3). */
    public static final String SENML_CBOR = "application/senml+cbor";

    /** RFC 8428 section 6, table 4: CBOR integer label to JSON label. */
    private static final Map<String, String> SENML_CBOR_LABELS = Map.ofEntries(
            Map.entry("-1", "bver"),
            Map.entry("-2", "bn"),
            Map.entry("-3", "bt"),
            Map.entry("-4", "bu"),
            Map.entry("-5", "bv"),
            Map.entry("-6", "bs"),
            Map.entry("0", "n"),
            Map.entry("1", "u"),
            Map.entry("2", "v"),
            Map.entry("3", "vs"),
            Map.entry("4", "vb"),
            Map.entry("5", "s"),
            Map.entry("6", "t"),
            Map.entry("7", "ut"),
            Map.entry("8", "vd"));

    private static final int MAX_METRIC_LENGTH = 128;
    private static final String TS_FORMAT = "ts must be an ISO-8601 date-time with offset or epoch milliseconds";

    private final ObjectMapper json;
    private final CBORMapper cbor = new CBORMapper();
    private final SenmlResolver resolver;
    private final Clock clock;
    private final Instant earliest;
    private final Duration maxFutureSkew;

    /**
     * @param json parser factory
     * @param clock the "now" of the accepted window, and of SenML relative times (RFC 8428 section 4.5.3)
     * @param earliest oldest accepted reading time
     * @param maxFutureSkew how far past now a reading time may lie (device clocks drift)
     */
    public TelemetryPayloadParser(ObjectMapper json, Clock clock, Instant earliest, Duration maxFutureSkew) {
        this.json = json;
        this.resolver = new SenmlResolver(clock);
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
        return nonEmpty(readings);
    }

    /**
     * Parses SenML already decoded into a tree with the JSON labels, resolved by {@link SenmlResolver}.
     * Numbers keep their unit, booleans are stored as 0/1 of kind BOOLEAN and sums as a metric
     * {@code <name>#sum}; when one name carries several units in the same pack (RFC 8428 section 5.1.3
     * sends humidity, latitude and longitude under one name) each unit is its own metric
     * {@code <name>#<unit>}. String and data values are refused, naming the record, until an issue stores
     * them.
     */
    public List<Reading> senml(String deviceId, JsonNode pack, Instant receivedAt) {
        List<SenmlRecord> records = resolver.resolve(pack);
        Map<String, String> unitOf = new HashMap<>();
        Set<String> multiUnit = new HashSet<>();
        for (SenmlRecord r : records) {
            if (r.kind() == SenmlRecord.Kind.STRING || r.kind() == SenmlRecord.Kind.DATA) {
                throw bad("SenML record " + r.index() + ": " + (r.kind() == SenmlRecord.Kind.STRING ? "vs" : "vd")
                        + " values are not stored; send numbers (v) or booleans (vb)");
            }
            String unit = String.valueOf(r.unit());
            String first = unitOf.putIfAbsent(r.name(), unit);
            if (first != null && !first.equals(unit)) {
                multiUnit.add(r.name());
            }
        }
        List<Reading> readings = new ArrayList<>(records.size());
        Instant latest = latest();
        for (SenmlRecord r : records) {
            within(r.time(), latest, "SenML record " + r.index() + " time");
            String metric = multiUnit.contains(r.name()) && r.unit() != null ? r.name() + "#" + r.unit() : r.name();
            if (r.value() != null) {
                Reading.Kind kind = r.kind() == SenmlRecord.Kind.BOOLEAN ? Reading.Kind.BOOLEAN : Reading.Kind.NUMBER;
                readings.add(new Reading(deviceId, metric, r.time(), r.value(), r.unit(), kind));
            }
            if (r.sum() != null) {
                readings.add(new Reading(deviceId, metric + "#sum", r.time(), r.sum(), r.unit(), Reading.Kind.SUM));
            }
        }
        return readings;
    }

    /**
     * Parses SenML CBOR (RFC 8428 section 6): integer labels are renamed to the JSON labels so that the same
     * resolution applies.
     *
     * @return at least one reading
     * @throws GatewayException BAD_REQUEST for invalid CBOR or a refused pack
     */
    public List<Reading> senmlCbor(String deviceId, byte[] payload, Instant receivedAt) {
        JsonNode pack;
        try {
            pack = cbor.readTree(payload);
        } catch (IOException | RuntimeException e) {
            throw bad("payload is not valid CBOR");
        }
        if (pack == null || !pack.isArray()) {
            throw bad("SenML CBOR must be an array of records");
        }
        ArrayNode renamed = JsonNodeFactory.instance.arrayNode(pack.size());
        for (int i = 0; i < pack.size(); i++) {
            JsonNode record = pack.get(i);
            if (!record.isObject()) {
                throw bad("SenML record " + i + ": not a map");
            }
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            Iterator<Map.Entry<String, JsonNode>> fields = record.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                copy.set(SENML_CBOR_LABELS.getOrDefault(field.getKey(), field.getKey()), field.getValue());
            }
            renamed.add(copy);
        }
        return nonEmpty(senml(deviceId, renamed, receivedAt));
    }

    /**
     * Parses a payload by its media type: {@code application/senml+cbor} as SenML CBOR, anything else
     * (none, {@code application/json}, {@code application/senml+json}) as JSON.
     *
     * @param contentType the MQTT 5 Content Type or equivalent, parameters allowed; null when absent
     */
    public List<Reading> parse(String deviceId, String contentType, byte[] payload, Instant receivedAt) {
        if (contentType != null && mediaType(contentType).equals(SENML_CBOR)) {
            return senmlCbor(deviceId, payload, receivedAt);
        }
        return parse(deviceId, payload, receivedAt);
    }

    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                .trim()
                .toLowerCase(Locale.ROOT);
    }

    private static List<Reading> nonEmpty(List<Reading> readings) {
        if (readings.isEmpty()) {
            throw bad("payload holds no numeric value");
        }
        return readings;
    }

    private Instant latest() {
        return clock.instant().plus(maxFutureSkew);
    }

    /** Issue 15: a time outside the window is refused before it can fail a shared batch. */
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

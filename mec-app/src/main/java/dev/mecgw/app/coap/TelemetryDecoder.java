package dev.mecgw.app.coap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import dev.mecgw.app.ingest.TelemetryPayloadParser;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.telemetry.Reading;
import java.io.IOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.eclipse.californium.core.coap.MediaTypeRegistry;

/**
 * Decodes a CoAP telemetry payload by its Content-Format: JSON (50, or none), SenML JSON (110) through
 * the shared parser, and SenML CBOR (112), whose integer labels (RFC 8428 section 6) are renamed to the
 * JSON labels so that the shared SenML parser reads the same tree. Thread-safe.
 */
final class TelemetryDecoder {

    /** RFC 8428 table 4: CBOR integer label to JSON label. */
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

    private final TelemetryPayloadParser parser;
    private final CBORMapper cbor = new CBORMapper();

    TelemetryDecoder(TelemetryPayloadParser parser) {
        this.parser = parser;
    }

    /**
     * @return the readings, at least one
     * @throws GatewayException BAD_REQUEST for a malformed payload; {@link UnsupportedFormatException} for a
     *     Content-Format other than JSON, SenML JSON or SenML CBOR
     */
    List<Reading> decode(String deviceId, int contentFormat, byte[] payload, Instant receivedAt) {
        switch (contentFormat) {
            case MediaTypeRegistry.UNDEFINED, MediaTypeRegistry.APPLICATION_JSON:
                return parser.parse(deviceId, payload, receivedAt);
            case MediaTypeRegistry.APPLICATION_SENML_JSON:
                if (payload.length == 0 || payload[firstNonSpace(payload)] != '[') {
                    throw bad("SenML JSON must be an array of records");
                }
                return parser.parse(deviceId, payload, receivedAt);
            case MediaTypeRegistry.APPLICATION_SENML_CBOR:
                return senmlCbor(deviceId, payload, receivedAt);
            default:
                throw new UnsupportedFormatException();
        }
    }

    private List<Reading> senmlCbor(String deviceId, byte[] payload, Instant receivedAt) {
        JsonNode pack;
        try {
            pack = cbor.readTree(payload);
        } catch (IOException e) {
            throw bad("payload is not valid CBOR");
        }
        if (pack == null || !pack.isArray()) {
            throw bad("SenML CBOR must be an array of records");
        }
        ArrayNode renamed = JsonNodeFactory.instance.arrayNode(pack.size());
        for (JsonNode record : pack) {
            if (!record.isObject()) {
                throw bad("SenML record is not a map");
            }
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            Iterator<Map.Entry<String, JsonNode>> fields = record.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                copy.set(SENML_CBOR_LABELS.getOrDefault(field.getKey(), field.getKey()), field.getValue());
            }
            renamed.add(copy);
        }
        List<Reading> readings = parser.senml(deviceId, renamed, receivedAt);
        if (readings.isEmpty()) {
            throw bad("payload holds no numeric value");
        }
        return readings;
    }

    private static int firstNonSpace(byte[] payload) {
        int i = 0;
        while (i < payload.length - 1 && Character.isWhitespace(payload[i])) {
            i++;
        }
        return i;
    }

    private static GatewayException bad(String message) {
        return new GatewayException(ErrorKind.BAD_REQUEST, message);
    }

    /** A Content-Format the decoder does not read (answered with 4.15). */
    static final class UnsupportedFormatException extends RuntimeException {
        UnsupportedFormatException() {
            super("unsupported content format", null, false, false);
        }
    }
}

package dev.mecgw.app.coap;

import dev.mecgw.app.ingest.TelemetryPayloadParser;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.telemetry.Reading;
import java.time.Instant;
import java.util.List;
import org.eclipse.californium.core.coap.MediaTypeRegistry;

/**
 * Decodes a CoAP telemetry payload by its Content-Format: JSON (50, or none), SenML JSON (110) through
 * the shared parser, and SenML CBOR (112), also read by the shared parser. Thread-safe.
 */
final class TelemetryDecoder {

    private final TelemetryPayloadParser parser;

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
                return parser.senmlCbor(deviceId, payload, receivedAt);
            default:
                throw new UnsupportedFormatException();
        }
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

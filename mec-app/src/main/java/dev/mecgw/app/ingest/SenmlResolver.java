package dev.mecgw.app.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Resolves a SenML pack (RFC 8428) into {@link SenmlRecord}s, the resolved form of section 4.6: base name,
 * base time, base unit, base value and base sum carry over to every later record until a record sets them
 * again; names are concatenated, {@code bv + v} and {@code bs + s} added, and times below 2^28 taken as
 * relative to now (section 4.5.3), now read once per pack from the injected clock.
 *
 * <p>The pack is a tree with the JSON labels; SenML CBOR is renamed to them first (see
 * {@link TelemetryPayloadParser}). A pack that breaks the RFC is refused as a whole with a
 * {@link GatewayException} of kind BAD_REQUEST whose message names the record ("SenML record 3: ..."):
 * a wrong type for a field, no value and no sum, more than one value, a name outside the section 4.5.1
 * characters, a version above 10 ({@code bver}, section 4.4) or an unknown label ending in "_", which
 * section 4.4 makes mandatory to understand. Other unknown labels are ignored as the RFC requires.
 * Thread-safe.
 */
final class SenmlResolver {

    /** RFC 8428 section 4.5.3: times below 2^28 seconds are relative to now. */
    static final double RELATIVE_TIME_LIMIT = 268_435_456d;

    /** RFC 8428 section 4.4: the version this implementation understands. */
    static final int SUPPORTED_VERSION = 10;

    private static final int MAX_NAME_LENGTH = 128;
    private static final int MAX_UNIT_LENGTH = 32;
    private static final Set<String> VALUE_LABELS = Set.of("v", "vs", "vb", "vd");

    private final Clock clock;

    public SenmlResolver(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param pack the decoded pack with JSON labels
     * @return the resolved records in pack order, one per record
     * @throws GatewayException BAD_REQUEST naming the first offending record
     */
    public List<SenmlRecord> resolve(JsonNode pack) {
        if (pack == null || !pack.isArray()) {
            throw bad("SenML pack must be an array of records");
        }
        Instant now = clock.instant();
        Base base = new Base();
        List<SenmlRecord> resolved = new ArrayList<>(pack.size());
        for (int i = 0; i < pack.size(); i++) {
            JsonNode record = pack.get(i);
            if (!record.isObject()) {
                throw bad("SenML record " + i + ": not an object");
            }
            resolved.add(resolve(i, record, base, now));
        }
        return resolved;
    }

    private static SenmlRecord resolve(int i, JsonNode record, Base base, Instant now) {
        checkLabels(i, record);
        base.apply(i, record);
        String name = name(i, base.name + text(i, record, "n", ""));
        String unit = record.has("u") ? unit(i, text(i, record, "u", null)) : base.unit;
        double time = base.time + number(i, record, "t", 0);
        Double sum = record.has("s") ? base.sum + number(i, record, "s", 0) : null;
        Double updateTime = record.has("ut") ? number(i, record, "ut", 0) : null;
        SenmlRecord.Kind kind = SenmlRecord.Kind.NONE;
        Double value = null;
        String text = null;
        if (record.has("v")) {
            kind = SenmlRecord.Kind.NUMBER;
            value = finite(i, "v", base.value + number(i, record, "v", 0));
        } else if (record.has("vb")) {
            JsonNode vb = record.get("vb");
            if (!vb.isBoolean()) {
                throw bad("SenML record " + i + ": vb must be a boolean");
            }
            kind = SenmlRecord.Kind.BOOLEAN;
            value = vb.booleanValue() ? 1d : 0d;
        } else if (record.has("vs")) {
            kind = SenmlRecord.Kind.STRING;
            text = text(i, record, "vs", null);
        } else if (record.has("vd")) {
            kind = SenmlRecord.Kind.DATA;
            JsonNode vd = record.get("vd");
            if (!vd.isBinary() && !vd.isTextual()) {
                throw bad("SenML record " + i + ": vd must be base64url text or a byte string");
            }
            text = vd.isBinary() ? Base64.getUrlEncoder().withoutPadding().encodeToString(binary(vd)) : vd.asText();
        } else if (sum == null) {
            throw bad("SenML record " + i + ": has neither a value (v, vs, vb, vd) nor a sum (s)");
        }
        return new SenmlRecord(
                i,
                name,
                unit,
                kind,
                value,
                text,
                sum == null ? null : finite(i, "s", sum),
                instant(i, time, now),
                updateTime);
    }

    /** At most one value field (section 4.2), and no unknown must-understand label (section 4.4). */
    private static void checkLabels(int i, JsonNode record) {
        int values = 0;
        for (Iterator<String> labels = record.fieldNames(); labels.hasNext(); ) {
            String label = labels.next();
            if (VALUE_LABELS.contains(label)) {
                values++;
            } else if (label.endsWith("_")) {
                throw bad("SenML record " + i + ": label '" + printable(label)
                        + "' must be understood and is not supported");
            }
        }
        if (values > 1) {
            throw bad("SenML record " + i + ": has more than one value field");
        }
    }

    private static Instant instant(int i, double time, Instant now) {
        if (!Double.isFinite(time)) {
            throw bad("SenML record " + i + ": time is not a finite number");
        }
        try {
            if (time < RELATIVE_TIME_LIMIT) {
                return now.plusNanos(Math.round(time * 1e9));
            }
            double seconds = Math.floor(time);
            // Microsecond rounding: a double near 1.3e9 carries about 7 decimal digits after the point.
            long micros = Math.round((time - seconds) * 1e6);
            return Instant.ofEpochSecond((long) seconds).plusNanos(micros * 1000);
        } catch (java.time.DateTimeException | ArithmeticException e) {
            throw bad("SenML record " + i + ": time is out of range");
        }
    }

    private static String name(int i, String name) {
        boolean valid = !name.isEmpty() && name.length() <= MAX_NAME_LENGTH && alphanumeric(name.charAt(0));
        for (int c = 1; valid && c < name.length(); c++) {
            char ch = name.charAt(c);
            valid = alphanumeric(ch) || ch == '-' || ch == ':' || ch == '.' || ch == '/' || ch == '_';
        }
        if (!valid) {
            throw bad("SenML record " + i + ": name must be 1.." + MAX_NAME_LENGTH
                    + " characters A-Z a-z 0-9 - : . / _ starting with a letter or digit (RFC 8428 4.5.1)");
        }
        return name;
    }

    private static String unit(int i, String unit) {
        if (unit.isEmpty() || unit.length() > MAX_UNIT_LENGTH || !unit.equals(printable(unit))) {
            throw bad("SenML record " + i + ": unit must be 1.." + MAX_UNIT_LENGTH + " printable characters");
        }
        return unit;
    }

    private static boolean alphanumeric(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    /** The text with control characters dropped, for echoing a label back in a reason. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), 64));
        text.codePoints().limit(64).filter(c -> !Character.isISOControl(c)).forEach(out::appendCodePoint);
        return out.toString();
    }

    private static String text(int i, JsonNode record, String label, String absent) {
        JsonNode node = record.get(label);
        if (node == null) {
            return absent;
        }
        if (!node.isTextual()) {
            throw bad("SenML record " + i + ": " + label + " must be a string");
        }
        return node.textValue();
    }

    private static double number(int i, JsonNode record, String label, double absent) {
        JsonNode node = record.get(label);
        if (node == null) {
            return absent;
        }
        if (!node.isNumber()) {
            throw bad("SenML record " + i + ": " + label + " must be a number");
        }
        return finite(i, label, node.doubleValue());
    }

    private static double finite(int i, String label, double value) {
        if (!Double.isFinite(value)) {
            throw bad("SenML record " + i + ": " + label + " must be a finite number");
        }
        return value;
    }

    private static byte[] binary(JsonNode node) {
        try {
            return node.binaryValue();
        } catch (java.io.IOException e) {
            throw bad("SenML data value cannot be read");
        }
    }

    private static GatewayException bad(String message) {
        return new GatewayException(ErrorKind.BAD_REQUEST, message);
    }

    /** The base fields in force: set by a record, kept for every later record (RFC 8428 section 4.1). */
    private static final class Base {
        private String name = "";
        private double time;
        private String unit;
        private double value;
        private double sum;

        void apply(int i, JsonNode record) {
            if (record.has("bver")) {
                JsonNode bver = record.get("bver");
                if (!bver.isIntegralNumber() || bver.asLong() < 1 || bver.asLong() > SUPPORTED_VERSION) {
                    throw bad("SenML record " + i + ": bver must be an integer 1.." + SUPPORTED_VERSION
                            + " (RFC 8428 4.4)");
                }
            }
            name = text(i, record, "bn", name);
            time = number(i, record, "bt", time);
            unit = record.has("bu") ? unit(i, text(i, record, "bu", null)) : unit;
            value = number(i, record, "bv", value);
            sum = number(i, record, "bs", sum);
        }
    }
}

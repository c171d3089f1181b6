package dev.mecgw.app.southbound.iec104;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes ASDUs octet by octet, as IEC 60870-5-101 clause 7 lays them out. Stateless and thread-safe;
 * the zone is the one CP56Time2a tags are read and written in.
 */
public final class AsduCodec {

    /** Largest ASDU an APDU can carry (253 minus the four control octets). */
    public static final int MAX_LENGTH = 249;

    private static final int HEADER = 6;
    private static final int IOA = 3;

    private final ZoneId zone;

    public AsduCodec(ZoneId zone) {
        this.zone = zone;
    }

    /**
     * The octets of an ASDU.
     *
     * @throws IllegalArgumentException when it would not fit an APDU, or has no or more than 127 objects
     */
    public byte[] encode(Asdu asdu) {
        int n = asdu.objects().size();
        if (n < 1 || n > 127) {
            throw new IllegalArgumentException("an ASDU carries 1 to 127 objects, not " + n);
        }
        int size = asdu.type().objectSize();
        int length = HEADER + (asdu.sequence() ? IOA + n * size : n * (IOA + size));
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException("ASDU of " + length + " octets exceeds " + MAX_LENGTH);
        }
        byte[] out = new byte[length];
        out[0] = (byte) asdu.type().code();
        out[1] = (byte) (n | (asdu.sequence() ? 0x80 : 0));
        out[2] = (byte) ((asdu.cause() & 0x3F) | (asdu.negative() ? 0x40 : 0) | (asdu.test() ? 0x80 : 0));
        out[3] = (byte) asdu.originator();
        out[4] = (byte) asdu.commonAddress();
        out[5] = (byte) (asdu.commonAddress() >>> 8);
        int at = HEADER;
        for (int i = 0; i < n; i++) {
            InformationObject o = asdu.objects().get(i);
            if (i == 0 || !asdu.sequence()) {
                out[at] = (byte) o.ioa();
                out[at + 1] = (byte) (o.ioa() >>> 8);
                out[at + 2] = (byte) (o.ioa() >>> 16);
                at += IOA;
            }
            writeElement(asdu.type(), o, out, at);
            at += size;
        }
        return out;
    }

    /**
     * Decodes an ASDU.
     *
     * @throws UnknownTypeException when the type is not one this station understands (the frame itself may be fine)
     * @throws Iec104FrameException when the octets do not make an ASDU of their type
     */
    public Asdu decode(byte[] in) {
        if (in.length < HEADER) {
            throw new Iec104FrameException("ASDU shorter than its header");
        }
        TypeId type = TypeId.of(in[0] & 0xFF);
        if (type == null) {
            throw new UnknownTypeException(in[0] & 0xFF);
        }
        boolean sequence = (in[1] & 0x80) != 0;
        int n = in[1] & 0x7F;
        int size = type.objectSize();
        int expected = HEADER + (sequence ? IOA + n * size : n * (IOA + size));
        if (n == 0 || in.length != expected) {
            throw new Iec104FrameException(
                    "ASDU " + type + " with " + n + " objects has " + in.length + " octets, expected " + expected);
        }
        List<InformationObject> objects = new ArrayList<>(n);
        int at = HEADER;
        int ioa = 0;
        for (int i = 0; i < n; i++) {
            if (i == 0 || !sequence) {
                ioa = (in[at] & 0xFF) | (in[at + 1] & 0xFF) << 8 | (in[at + 2] & 0xFF) << 16;
                at += IOA;
            } else {
                ioa++;
            }
            objects.add(readElement(type, ioa, in, at));
            at += size;
        }
        return new Asdu(
                type,
                sequence,
                in[2] & 0x3F,
                (in[2] & 0x40) != 0,
                (in[2] & 0x80) != 0,
                in[3] & 0xFF,
                (in[4] & 0xFF) | (in[5] & 0xFF) << 8,
                objects);
    }

    private void writeElement(TypeId type, InformationObject o, byte[] out, int at) {
        int q = o.qualifier();
        int end = at;
        switch (type) {
            case M_SP_NA_1, M_SP_TB_1 -> out[end++] = (byte) ((q & 0xF0) | ((int) o.value() & 0x01));
            case M_DP_NA_1, M_DP_TB_1 -> out[end++] = (byte) ((q & 0xF0) | ((int) o.value() & 0x03));
            case C_SC_NA_1 -> out[end++] = (byte) ((q & 0xFE) | ((int) o.value() & 0x01));
            case C_DC_NA_1 -> out[end++] = (byte) ((q & 0xFC) | ((int) o.value() & 0x03));
            case C_IC_NA_1, M_EI_NA_1 -> out[end++] = (byte) o.value();
            case M_ME_NA_1, M_ME_TD_1 -> {
                int nva = (int) Math.max(-32768, Math.min(32767, Math.round(o.value() * 32768)));
                end = putShort(out, end, nva);
                out[end++] = (byte) q;
            }
            case M_ME_NB_1, M_ME_TE_1 -> {
                end = putShort(out, end, (int) Math.max(-32768, Math.min(32767, Math.round(o.value()))));
                out[end++] = (byte) q;
            }
            case M_ME_NC_1, M_ME_TF_1, C_SE_NC_1 -> {
                end = putInt(out, end, Float.floatToIntBits((float) o.value()));
                out[end++] = (byte) q;
            }
            case M_IT_NA_1, M_IT_TB_1 -> {
                end = putInt(out, end, (int) (long) o.value());
                out[end++] = (byte) q;
            }
            case C_CS_NA_1 -> {
                // The element is the time tag alone, written below.
            }
        }
        if (type.timeTagged()) {
            if (o.time() == null) {
                throw new IllegalArgumentException(type + " needs a time tag (IOA " + o.ioa() + ")");
            }
            o.time().write(out, end, zone);
        }
    }

    private InformationObject readElement(TypeId type, int ioa, byte[] in, int at) {
        int b = in[at] & 0xFF;
        double value;
        int qualifier;
        int end;
        switch (type) {
            case M_SP_NA_1, M_SP_TB_1 -> {
                value = b & 0x01;
                qualifier = b & 0xF0;
                end = at + 1;
            }
            case M_DP_NA_1, M_DP_TB_1 -> {
                value = b & 0x03;
                qualifier = b & 0xF0;
                end = at + 1;
            }
            case C_SC_NA_1 -> {
                value = b & 0x01;
                qualifier = b & 0xFE;
                end = at + 1;
            }
            case C_DC_NA_1 -> {
                value = b & 0x03;
                qualifier = b & 0xFC;
                end = at + 1;
            }
            case C_IC_NA_1, M_EI_NA_1 -> {
                value = b;
                qualifier = 0;
                end = at + 1;
            }
            case M_ME_NA_1, M_ME_TD_1 -> {
                value = getShort(in, at) / 32768.0;
                qualifier = in[at + 2] & 0xFF;
                end = at + 3;
            }
            case M_ME_NB_1, M_ME_TE_1 -> {
                value = getShort(in, at);
                qualifier = in[at + 2] & 0xFF;
                end = at + 3;
            }
            case M_ME_NC_1, M_ME_TF_1, C_SE_NC_1 -> {
                value = Float.intBitsToFloat(getInt(in, at));
                qualifier = in[at + 4] & 0xFF;
                end = at + 5;
            }
            case M_IT_NA_1, M_IT_TB_1 -> {
                value = getInt(in, at);
                qualifier = in[at + 4] & 0xFF;
                end = at + 5;
            }
            default -> {
                value = 0;
                qualifier = 0;
                end = at;
            }
        }
        Cp56Time time = type.timeTagged() ? Cp56Time.read(in, end, zone) : null;
        return new InformationObject(ioa, value, qualifier, time);
    }

    private static int putShort(byte[] out, int at, int v) {
        out[at] = (byte) v;
        out[at + 1] = (byte) (v >>> 8);
        return at + 2;
    }

    private static int putInt(byte[] out, int at, int v) {
        out[at] = (byte) v;
        out[at + 1] = (byte) (v >>> 8);
        out[at + 2] = (byte) (v >>> 16);
        out[at + 3] = (byte) (v >>> 24);
        return at + 4;
    }

    private static short getShort(byte[] in, int at) {
        return (short) ((in[at] & 0xFF) | (in[at + 1] & 0xFF) << 8);
    }

    private static int getInt(byte[] in, int at) {
        return (in[at] & 0xFF) | (in[at + 1] & 0xFF) << 8 | (in[at + 2] & 0xFF) << 16 | (in[at + 3] & 0xFF) << 24;
    }

    /** An ASDU of a type this station does not understand; the outstation is answered with COT 44 if it asked. */
    public static final class UnknownTypeException extends Iec104FrameException {
        private final int code;

        UnknownTypeException(int code) {
            super("unknown ASDU type " + code);
            this.code = code;
        }

        /** The type identification octet received. */
        public int code() {
            return code;
        }
    }
}

package dev.mecgw.app.southbound.modbus;

import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.southbound.modbus.RegisterSpec.DataType;
import java.nio.ByteBuffer;

/**
 * Turns register bytes into numbers and back, honouring a metric's type, word order and byte order. Register bytes are
 * as on the wire: each register big-endian, registers in address order. Pure.
 */
final class RegisterCodec {

    private RegisterCodec() {}

    /**
     * @param registers the block's register bytes
     * @param at the byte index of the value's first register within the block
     * @return the raw value (before scale and offset)
     */
    static double decode(RegisterSpec spec, byte[] registers, int at) {
        ByteBuffer value = ByteBuffer.wrap(canonical(spec, registers, at));
        return switch (spec.type()) {
            case BOOL, UINT16 -> value.getShort() & 0xFFFF;
            case INT16 -> value.getShort();
            case INT32 -> value.getInt();
            case UINT32 -> value.getInt() & 0xFFFF_FFFFL;
            case FLOAT32 -> value.getFloat();
            case FLOAT64 -> value.getDouble();
        };
    }

    /**
     * Encodes an engineering value for a write: reverses scale and offset, rounds integers, checks the range.
     *
     * @return the register bytes as they go on the wire
     * @throws GatewayException BAD_REQUEST naming {@code value} when it is out of range or not representable
     */
    static byte[] encode(RegisterSpec spec, double engineering) {
        if (!Double.isFinite(engineering)) {
            throw GatewayException.badField("value", "must be a finite number");
        }
        if ((spec.min() != null && engineering < spec.min()) || (spec.max() != null && engineering > spec.max())) {
            throw GatewayException.badField(
                    "value", "must be from " + spec.min() + " to " + spec.max() + " for " + spec.metric());
        }
        double raw = (engineering - spec.offset()) / spec.scale();
        DataType type = spec.type();
        if (type.integral()) {
            raw = Math.rint(raw);
        }
        if (raw < type.lowest() || raw > type.highest()) {
            throw GatewayException.badField(
                    "value",
                    "out of range for " + type.label() + " (raw " + type.lowest() + " to " + type.highest() + ")");
        }
        ByteBuffer value = ByteBuffer.allocate(type.words() * 2);
        switch (type) {
            case BOOL, INT16, UINT16 -> value.putShort((short) (long) raw);
            case INT32, UINT32 -> value.putInt((int) (long) raw);
            case FLOAT32 -> value.putFloat((float) raw);
            case FLOAT64 -> value.putDouble(raw);
        }
        return wire(spec, value.array());
    }

    /** The value's bytes in big-endian order (ABCD…), from the wire order of {@code spec}. */
    private static byte[] canonical(RegisterSpec spec, byte[] registers, int at) {
        int words = spec.type().words();
        byte[] out = new byte[words * 2];
        for (int w = 0; w < words; w++) {
            int from = at + 2 * (spec.wordsLittle() ? words - 1 - w : w);
            out[2 * w] = registers[from + (spec.bytesLittle() ? 1 : 0)];
            out[2 * w + 1] = registers[from + (spec.bytesLittle() ? 0 : 1)];
        }
        return out;
    }

    /** The reverse of {@link #canonical}: big-endian value bytes to wire order (the permutation is its own inverse). */
    private static byte[] wire(RegisterSpec spec, byte[] canonical) {
        return canonical(spec, canonical, 0);
    }
}

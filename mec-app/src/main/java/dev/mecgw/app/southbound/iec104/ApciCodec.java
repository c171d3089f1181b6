package dev.mecgw.app.southbound.iec104;

/** Writes and reads whole APDUs (IEC 60870-5-104 clause 5). Stateless. */
public final class ApciCodec {

    private ApciCodec() {}

    /** The octets of an APDU, start octet included. */
    public static byte[] encode(Apdu apdu) {
        byte[] asdu = apdu instanceof Apdu.Information i ? i.asdu() : new byte[0];
        if (asdu.length > AsduCodec.MAX_LENGTH) {
            throw new IllegalArgumentException("ASDU too long: " + asdu.length);
        }
        byte[] out = new byte[6 + asdu.length];
        out[0] = (byte) Apdu.START;
        out[1] = (byte) (4 + asdu.length);
        if (apdu instanceof Apdu.Information i) {
            out[2] = (byte) (i.sendSeq() << 1);
            out[3] = (byte) (i.sendSeq() >>> 7);
            putRecv(out, i.recvSeq());
            System.arraycopy(asdu, 0, out, 6, asdu.length);
        } else if (apdu instanceof Apdu.Supervisory s) {
            out[2] = 0x01;
            putRecv(out, s.recvSeq());
        } else {
            out[2] = (byte) ((Apdu.Unnumbered) apdu).function().octet();
        }
        return out;
    }

    /**
     * Reads one APDU.
     *
     * @param frame the octets of exactly one APDU, start octet included (as {@link ApduFramer} delivers them)
     * @throws Iec104FrameException when they are not an APDU
     */
    public static Apdu decode(byte[] frame) {
        if (frame.length < 6 || (frame[0] & 0xFF) != Apdu.START || (frame[1] & 0xFF) != frame.length - 2) {
            throw new Iec104FrameException("not an APDU");
        }
        int c1 = frame[2] & 0xFF;
        if ((c1 & 0x01) == 0) {
            if (frame.length == 6) {
                throw new Iec104FrameException("I frame without an ASDU");
            }
            byte[] asdu = new byte[frame.length - 6];
            System.arraycopy(frame, 6, asdu, 0, asdu.length);
            return new Apdu.Information((c1 >>> 1) | (frame[3] & 0xFF) << 7, recv(frame), asdu);
        }
        if (frame.length != 6) {
            throw new Iec104FrameException("S or U frame with an ASDU");
        }
        if ((c1 & 0x03) == 0x01) {
            return new Apdu.Supervisory(recv(frame));
        }
        if (frame[3] != 0 || frame[4] != 0 || frame[5] != 0) {
            throw new Iec104FrameException("U frame with non-zero control octets");
        }
        return new Apdu.Unnumbered(Apdu.Function.of(c1));
    }

    private static void putRecv(byte[] out, int recvSeq) {
        out[4] = (byte) (recvSeq << 1);
        out[5] = (byte) (recvSeq >>> 7);
    }

    private static int recv(byte[] frame) {
        return (frame[4] & 0xFF) >>> 1 | (frame[5] & 0xFF) << 7;
    }
}

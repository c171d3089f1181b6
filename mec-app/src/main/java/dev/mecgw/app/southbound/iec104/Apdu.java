package dev.mecgw.app.southbound.iec104;

/**
 * An application protocol data unit of IEC 60870-5-104 clause 5: the APCI (start octet 0x68, length, four control
 * octets) in one of its three formats, with the ASDU for the I format. Sequence numbers are 15-bit (0..32767).
 */
public sealed interface Apdu {

    /** Start octet of every APDU. */
    int START = 0x68;

    /** Largest value of the length octet (clause 5.1). */
    int MAX_LENGTH = 253;

    /** Numbered information transfer: an ASDU with send sequence N(S) and receive sequence N(R). */
    record Information(int sendSeq, int recvSeq, byte[] asdu) implements Apdu {}

    /** Numbered supervisory function: acknowledges every I frame up to N(R) - 1. */
    record Supervisory(int recvSeq) implements Apdu {}

    /** Unnumbered control function. */
    record Unnumbered(Function function) implements Apdu {}

    /** The six U-format functions with their first control octet (clause 5.3). */
    enum Function {
        STARTDT_ACT(0x07),
        STARTDT_CON(0x0B),
        STOPDT_ACT(0x13),
        STOPDT_CON(0x23),
        TESTFR_ACT(0x43),
        TESTFR_CON(0x83);

        private final int octet;

        Function(int octet) {
            this.octet = octet;
        }

        int octet() {
            return octet;
        }

        static Function of(int octet) {
            for (Function f : values()) {
                if (f.octet == octet) {
                    return f;
                }
            }
            throw new Iec104FrameException("U frame with control octet 0x" + Integer.toHexString(octet));
        }
    }
}

package dev.mecgw.app.southbound.iec104;

/**
 * Quality of a stored reading, as one small integer that is 0 when the value is good. The bits are those of the
 * QDS octet (IEC 60870-5-101 clause 7.2.6.3), which SIQ and DIQ share from bit 4 up, plus two bits that QDS leaves
 * reserved for what other elements say: the BCR's carry/adjusted bits and an invalid CP56Time2a tag.
 */
public final class Iec104Quality {
    /** OV: overflow. */
    public static final int OVERFLOW = 0x01;
    /** CY/CA of an integrated total: counter overflowed or was adjusted in the period. */
    public static final int COUNTER_ADJUSTED = 0x02;
    /** IV of the CP56Time2a: the time tag is not trustworthy; the receive time was stored. */
    public static final int TIME_INVALID = 0x08;
    /** BL: blocked. */
    public static final int BLOCKED = 0x10;
    /** SB: substituted by an operator or automatic source. */
    public static final int SUBSTITUTED = 0x20;
    /** NT: not topical, the last update was not successful. */
    public static final int NOT_TOPICAL = 0x40;
    /** IV: invalid. */
    public static final int INVALID = 0x80;

    private Iec104Quality() {}

    /** The quality flags of a received object of this type. */
    static int of(TypeId type, InformationObject object) {
        int q = object.qualifier();
        int flags = switch (type) {
            case M_IT_NA_1, M_IT_TB_1 -> (q & 0x80) | ((q & 0x60) != 0 ? COUNTER_ADJUSTED : 0);
            case M_SP_NA_1, M_SP_TB_1, M_DP_NA_1, M_DP_TB_1 -> q & 0xF0;
            default -> q & 0xF1;
        };
        if (object.time() != null && object.time().invalid()) {
            flags |= TIME_INVALID;
        }
        return flags;
    }
}

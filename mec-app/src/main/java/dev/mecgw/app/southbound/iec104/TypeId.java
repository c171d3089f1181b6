package dev.mecgw.app.southbound.iec104;

/**
 * The ASDU type identifications this station understands (IEC 60870-5-101 clause 7.2.1, the 104 subset of
 * IEC 60870-5-104 clause 8). Each knows the size of its information element and whether a CP56Time2a time tag
 * follows it.
 */
public enum TypeId {
    /** Single point (SIQ). */
    M_SP_NA_1(1, 1, false),
    /** Double point (DIQ). */
    M_DP_NA_1(3, 1, false),
    /** Measured value, normalized (NVA + QDS). */
    M_ME_NA_1(9, 3, false),
    /** Measured value, scaled (SVA + QDS). */
    M_ME_NB_1(11, 3, false),
    /** Measured value, short floating point (IEEE 754 + QDS). */
    M_ME_NC_1(13, 5, false),
    /** Integrated totals (BCR). */
    M_IT_NA_1(15, 5, false),
    /** Single point with CP56Time2a. */
    M_SP_TB_1(30, 1, true),
    /** Double point with CP56Time2a. */
    M_DP_TB_1(31, 1, true),
    /** Normalized value with CP56Time2a. */
    M_ME_TD_1(34, 3, true),
    /** Scaled value with CP56Time2a. */
    M_ME_TE_1(35, 3, true),
    /** Short float with CP56Time2a. */
    M_ME_TF_1(36, 5, true),
    /** Integrated totals with CP56Time2a. */
    M_IT_TB_1(37, 5, true),
    /** Single command (SCO). */
    C_SC_NA_1(45, 1, false),
    /** Double command (DCO). */
    C_DC_NA_1(46, 1, false),
    /** Set point command, short floating point (IEEE 754 + QOS). */
    C_SE_NC_1(50, 5, false),
    /** End of initialization (COI). */
    M_EI_NA_1(70, 1, false),
    /** Interrogation command (QOI). */
    C_IC_NA_1(100, 1, false),
    /** Clock synchronization command: the element is the CP56Time2a itself. */
    C_CS_NA_1(103, 0, true);

    private static final TypeId[] BY_CODE = new TypeId[256];

    static {
        for (TypeId t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;
    private final int elementSize;
    private final boolean timeTagged;

    TypeId(int code, int elementSize, boolean timeTagged) {
        this.code = code;
        this.elementSize = elementSize;
        this.timeTagged = timeTagged;
    }

    /** The type identification octet. */
    public int code() {
        return code;
    }

    /** Octets of one information element after the IOA, time tag included. */
    int objectSize() {
        return elementSize + (timeTagged ? Cp56Time.SIZE : 0);
    }

    /** Whether each element carries a CP56Time2a. */
    public boolean timeTagged() {
        return timeTagged;
    }

    /** Whether the type travels in the monitoring direction (outstation → this station). */
    public boolean monitoring() {
        return code < 45;
    }

    /** The type of a code, or null when this station does not understand it. */
    public static TypeId of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}

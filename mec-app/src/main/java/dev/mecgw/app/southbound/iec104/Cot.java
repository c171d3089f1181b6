package dev.mecgw.app.southbound.iec104;

/** Causes of transmission this station sends or acts on (IEC 60870-5-101 clause 7.2.3). */
public final class Cot {
    public static final int PERIODIC = 1;
    public static final int BACKGROUND = 2;
    public static final int SPONTANEOUS = 3;
    public static final int INITIALIZED = 4;
    public static final int REQUEST = 5;
    public static final int ACTIVATION = 6;
    public static final int ACTIVATION_CON = 7;
    public static final int DEACTIVATION = 8;
    public static final int DEACTIVATION_CON = 9;
    public static final int ACTIVATION_TERMINATION = 10;
    public static final int RETURN_REMOTE = 11;
    public static final int RETURN_LOCAL = 12;
    public static final int INTERROGATED_BY_STATION = 20;
    public static final int UNKNOWN_TYPE = 44;
    public static final int UNKNOWN_CAUSE = 45;
    public static final int UNKNOWN_COMMON_ADDRESS = 46;
    public static final int UNKNOWN_IOA = 47;

    private Cot() {}
}

package dev.mecgw.ran.nef;

/**
 * The TS 29.122 {@code MonitoringType} values the gateway subscribes to. The 3GPP type is an extensible
 * enumeration; values we do not handle map to {@link #OTHER}.
 */
public enum MonitoringType {
    /** The UE lost its connection to the network (TS 23.682 clause 4.5.6.3). */
    LOSS_OF_CONNECTIVITY,
    /** The UE became reachable for data. */
    UE_REACHABILITY,
    /** Cell and tracking area of the UE. */
    LOCATION_REPORTING,
    /** Any other monitoring type; ignored. */
    OTHER;

    /** Maps the wire value; unknown or null values give {@link #OTHER}. */
    public static MonitoringType fromWire(String value) {
        for (MonitoringType type : values()) {
            if (type != OTHER && type.name().equals(value)) {
                return type;
            }
        }
        return OTHER;
    }
}

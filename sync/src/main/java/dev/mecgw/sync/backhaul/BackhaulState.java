package dev.mecgw.sync.backhaul;

/** Whether the link to the cloud Kafka currently carries changes. */
public enum BackhaulState {
    /** Nothing sent yet since start. */
    UNKNOWN,
    /** The last send was acknowledged and nothing is stuck. */
    UP,
    /** A send failed, or changes are in flight without acknowledgement for longer than the down threshold. */
    DOWN
}

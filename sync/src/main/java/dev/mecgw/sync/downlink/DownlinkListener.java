package dev.mecgw.sync.downlink;

/**
 * Told of each downlink message after its transaction committed, once per message id (a redelivered message is not
 * announced again; nor is a message the store refused for good, which is recorded {@code failed} with nothing stored
 * to hand over). The gateway hands a stored command to the device and pushes an applied desired state here.
 * Called on the downlink consumer's thread: hand work off rather than block, and never throw.
 */
@FunctionalInterface
public interface DownlinkListener {

    /** Does nothing: the outcome stays in the store only. */
    DownlinkListener NONE = (message, outcome) -> {};

    /**
     * @param message the message just applied
     * @param outcome what the applier recorded for it: for commands {@code at-site}, {@code expired} or
     *     {@code failed}; for desired state {@code applied} or {@code stale}
     */
    void onStored(DownlinkMessage message, String outcome);
}

package dev.mecgw.app.southbound.sparkplug;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the host knows of one born edge node: its group, birth/death sequence, message sequence, and the metric
 * definitions of the node and of each born device, within a byte budget. Created by an NBIRTH and dropped by its
 * NDEATH. Changed only on the broker's event loop; commands read {@link #group()} and the scopes from other threads.
 */
final class EdgeNode {

    /** Sparkplug sequence numbers run 0..255 and wrap (3.0 section 7.5). */
    private static final int SEQ_MODULO = 256;

    private final String deviceId;
    private final String group;
    private final Long bdSeq;
    private final long budgetBytes;
    private final Map<String, MetricScope> deviceScopes = new ConcurrentHashMap<>();
    private final Set<String> registered;
    private volatile MetricScope nodeScope;
    private long lastSeq;
    private boolean rebirthRequested;
    private long bytes;

    /**
     * @param registered Sparkplug device ids already registered as gateway devices (kept across rebirths)
     * @param seq the NBIRTH's sequence number
     */
    EdgeNode(
            String deviceId,
            String group,
            Long bdSeq,
            long seq,
            MetricScope nodeScope,
            long budgetBytes,
            Set<String> registered) {
        this.deviceId = deviceId;
        this.group = group;
        this.bdSeq = bdSeq;
        this.lastSeq = seq;
        this.nodeScope = nodeScope;
        this.budgetBytes = budgetBytes;
        this.registered = registered;
        this.bytes = nodeScope.bytes();
    }

    String deviceId() {
        return deviceId;
    }

    String group() {
        return group;
    }

    /** The NBIRTH's bdSeq metric, null when it carried none. */
    Long bdSeq() {
        return bdSeq;
    }

    MetricScope nodeScope() {
        return nodeScope;
    }

    /** The definitions of a born device, null when the device has no DBIRTH since the NBIRTH (or died). */
    MetricScope deviceScope(String device) {
        return deviceScopes.get(device);
    }

    Set<String> bornDevices() {
        return deviceScopes.keySet();
    }

    /** Whether a sparkplug device of this node has been registered as a gateway device. */
    Set<String> registered() {
        return registered;
    }

    /**
     * Records the sequence number of a message after the birth.
     *
     * @return true when it is not the one after the previous message: a message was lost
     */
    boolean gap(long seq) {
        boolean gap = seq != (lastSeq + 1) % SEQ_MODULO;
        lastSeq = seq;
        return gap;
    }

    /** @return true only for the first call since the birth, so that one gap asks for one rebirth */
    boolean firstRebirthRequest() {
        boolean first = !rebirthRequested;
        rebirthRequested = true;
        return first;
    }

    /**
     * Replaces a device's definitions (its DBIRTH).
     *
     * @return false, changing nothing, when they would take the node over its byte budget
     */
    boolean deviceBorn(String device, MetricScope scope) {
        MetricScope old = deviceScopes.get(device);
        long next = bytes - (old == null ? 0 : cost(device, old)) + cost(device, scope);
        if (next > budgetBytes) {
            return false;
        }
        bytes = next;
        deviceScopes.put(device, scope);
        return true;
    }

    private static long cost(String device, MetricScope scope) {
        return scope.bytes() + 2L * device.length() + 64;
    }

    /** Forgets a device's definitions (its DDEATH); a DDATA before its next DBIRTH asks for a rebirth. */
    void deviceDied(String device) {
        MetricScope old = deviceScopes.remove(device);
        if (old != null) {
            bytes -= cost(device, old);
        }
    }

    /** Estimated bytes held for this node's definitions. */
    long bytes() {
        return bytes;
    }
}

package dev.mecgw.app.coap;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.californium.scandium.AlertHandler;
import org.eclipse.californium.scandium.ConnectionListener;
import org.eclipse.californium.scandium.DtlsHealth;
import org.eclipse.californium.scandium.DtlsHealthExtended2;
import org.eclipse.californium.scandium.dtls.AlertMessage;
import org.eclipse.californium.scandium.dtls.AlertMessage.AlertDescription;
import org.eclipse.californium.scandium.dtls.Connection;
import org.jboss.logging.Logger;

/**
 * Counts what the DTLS connector decides in silence (issue 13 item 5): refused PSK handshakes and dropped records,
 * none of which the peer is told about. Scandium 3.14 reports them through three hooks, all of which this class
 * implements; what fires was found by experiment:
 *
 * <ul>
 *   <li>a wrong PSK: the client's Finished does not decrypt, a MAC error on a connection without an established
 *       session ({@link #onConnectionMacError}, then {@link #receivingMacError} and a dropped record); each
 *       retransmitted Finished counts again;
 *   <li>an unknown identity (no device, no PSK, undecryptable key or a full lookup queue, {@code RegistryPskStore}):
 *       the connector raises a fatal {@code unknown_psk_identity} alert internally and sends nothing
 *       ({@link #onAlert}); the client's Finished is then dropped, its epoch never established;
 *   <li>a record of a session the gateway removed (revocation, eviction): only {@link #receivingRecord} with
 *       {@code dropped}, the same call as for stale epochs, replays and records over a limit.
 * </ul>
 *
 * Either refused handshake ends as {@link #endHandshake failed} only when the server's last flight times out
 * (after its retransmissions, about half a minute). Counters only: these run on Scandium's receiver and connector
 * threads for every record. Without this handler Scandium keeps none at all (its {@code DtlsHealthLogger} is only
 * created when {@code SYS.HEALTH_STATUS_INTERVAL} is above its default 0), so nothing is replaced.
 */
final class ScandiumDtlsCounters implements DtlsHealth, DtlsHealthExtended2, ConnectionListener, AlertHandler {

    private static final Logger LOG = Logger.getLogger(ScandiumDtlsCounters.class);

    private final LongAdder handshakesCompleted = new LongAdder();
    private final LongAdder handshakesFailed = new LongAdder();
    private final LongAdder wrongKey = new LongAdder();
    private final LongAdder unknownIdentity = new LongAdder();
    private final LongAdder otherDropped = new LongAdder();
    private final LongAdder macErrors = new LongAdder();
    // Scandium reports a MAC error and then, on the same thread, the record's drop: the flag keeps that drop out of
    // "other" without a difference of two counters, which a concurrent read could see shrink.
    private final ThreadLocal<boolean[]> macErrorReported = ThreadLocal.withInitial(() -> new boolean[1]);

    /** Handshakes that established a session. */
    long handshakesCompleted() {
        return handshakesCompleted.sum();
    }

    /** Handshakes that ended without a session: refused ones once their flight timed out, and any other failure. */
    long handshakesFailed() {
        return handshakesFailed.sum();
    }

    /** Finished messages of PSK handshakes that failed to verify: a wrong key (or a forged Finished). */
    long wrongKey() {
        return wrongKey.sum();
    }

    /** PSK handshakes refused because the identity has no key the gateway could use. */
    long unknownIdentity() {
        return unknownIdentity.sum();
    }

    /** Received records that failed their MAC check, in a handshake or an established session. */
    long macErrors() {
        return macErrors.sum();
    }

    /**
     * Received records dropped for any other reason: no session for the peer (revoked, evicted), an epoch not (yet)
     * established, a replay, a record over a limit. MAC errors are reported by Scandium as dropped records too and
     * are not included here.
     */
    long otherDropped() {
        return otherDropped.sum();
    }

    @Override
    public boolean isEnabled() {
        return true;
    }

    @Override
    public void dump(String tag, int maxConnections, int remainingCapacity, int pendingWithoutVerify) {
        // Nothing to log: the counters are meters, read by the registry.
    }

    @Override
    public void startHandshake() {
        // Started handshakes are not a decision; completed and failed ones are counted.
    }

    @Override
    public void endHandshake(boolean success) {
        (success ? handshakesCompleted : handshakesFailed).increment();
    }

    @Override
    public void receivingRecord(boolean dropped) {
        if (dropped) {
            boolean[] macError = macErrorReported.get();
            if (macError[0]) {
                macError[0] = false;
            } else {
                otherDropped.increment();
            }
        }
    }

    @Override
    public void sendingRecord(boolean dropped) {
        // Outbound drops are Scandium's own back-pressure, not a refusal of a peer.
    }

    @Override
    public void receivingMacError() {
        macErrors.increment();
        macErrorReported.get()[0] = true;
    }

    @Override
    public void setPendingIncomingJobs(int jobs) {}

    @Override
    public void setPendingOutgoingJobs(int jobs) {}

    @Override
    public void setPendingHandshakeJobs(int jobs) {}

    @Override
    public boolean onConnectionMacError(Connection connection) {
        if (!connection.hasEstablishedDtlsContext()) {
            wrongKey.increment();
            // Once per Finished, not per record of a session; the address only, never the identity or key.
            LOG.debugf(
                    "DTLS handshake from %s refused: Finished failed to verify (wrong PSK?)",
                    connection.getPeerAddress());
        }
        // false: Scandium's own handling stands (the record is dropped, the handshake times out).
        return false;
    }

    @Override
    public void onAlert(InetSocketAddress peer, AlertMessage alert) {
        if (alert.getDescription() == AlertDescription.UNKNOWN_PSK_IDENTITY) {
            unknownIdentity.increment();
            LOG.debugf("DTLS handshake from %s refused: no key for its PSK identity", peer);
        }
    }

    @Override
    public void onConnectionEstablished(Connection connection) {}

    @Override
    public void onConnectionRemoved(Connection connection) {}

    @Override
    public boolean onConnectionUpdatesSequenceNumbers(Connection connection, boolean close) {
        return false;
    }

    @Override
    public void beforeExecution(Connection connection) {}

    @Override
    public void updateExecution(Connection connection) {}

    @Override
    public void afterExecution(Connection connection) {}
}

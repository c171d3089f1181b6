package dev.mecgw.ran.qos;

import java.time.Instant;

/**
 * Where a device's QoS demand stands; shown by the API and carried in events.
 *
 * @param deviceId the device
 * @param qosReference the QoS profile asked for
 * @param state the lifecycle state
 * @param attempts attempts made so far
 * @param lastError the network's last refusal or failure, client-safe, or null
 * @param expiresAt when the session is released (ACTIVE) or the demand lapses
 */
public record QosStatus(
        String deviceId, String qosReference, State state, int attempts, String lastError, Instant expiresAt) {

    /** Lifecycle of a demand. */
    public enum State {
        /** First attempt in flight. */
        REQUESTED,
        /** Granted by the network until {@code expiresAt}. */
        ACTIVE,
        /** Failed transiently; another attempt is scheduled. */
        RETRYING,
        /** The network refused it (4xx); not retried. */
        REFUSED,
        /** Attempts exhausted or the demand lapsed. */
        FAILED,
        /** Released after its time, on request, or by the network. */
        RELEASED
    }

    QosStatus until(Instant newExpiry) {
        return new QosStatus(deviceId, qosReference, state, attempts, lastError, newExpiry);
    }

    QosStatus with(State newState, int newAttempts, String error) {
        return new QosStatus(deviceId, qosReference, newState, newAttempts, error, expiresAt);
    }
}

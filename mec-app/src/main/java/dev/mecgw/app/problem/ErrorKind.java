package dev.mecgw.app.problem;

/**
 * What went wrong, independent of the protocol that reports it. Each protocol front-end maps a kind to
 * its own response (HTTP status, MQTT 5 reason code, CoAP response code) in exactly one place.
 */
public enum ErrorKind {
    /** The request is malformed or violates a constraint; resending it unchanged fails again. */
    BAD_REQUEST,
    /** No or wrong credentials. */
    UNAUTHORIZED,
    /** Authenticated but not allowed. */
    FORBIDDEN,
    /** The addressed resource does not exist. */
    NOT_FOUND,
    /** The request conflicts with existing state, e.g. a duplicate id. */
    CONFLICT,
    /** The payload is well-formed but semantically unusable, e.g. a model that does not load. */
    UNPROCESSABLE,
    /** A configured limit was hit; retrying later may succeed. */
    QUOTA_EXCEEDED,
    /** A dependency is temporarily unavailable; retrying later may succeed. */
    UNAVAILABLE,
    /** A bug or an unexpected failure; details are logged, never sent to the client. */
    INTERNAL
}

package dev.mecgw.cloud.problem;

/** What went wrong, independent of how it is reported; {@link RestProblems} maps it to HTTP in one place. */
public enum ErrorKind {
    /** The request is malformed or violates a constraint; resending it unchanged fails again. */
    BAD_REQUEST,
    /** No or wrong credentials. */
    UNAUTHORIZED,
    /** The addressed resource does not exist. */
    NOT_FOUND,
    /** The request conflicts with existing state. */
    CONFLICT,
    /** The request body is larger than the route accepts; the field names the part that is too large. */
    TOO_LARGE,
    /** A dependency (Kafka, PostgreSQL) is temporarily unavailable; retrying later may succeed. */
    UNAVAILABLE,
    /** A bug or an unexpected failure; details are logged, never sent to the client. */
    INTERNAL
}

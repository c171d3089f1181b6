package dev.mecgw.ran.transport;

/**
 * A network API refused or failed a request. Carries what the peer said (its ProblemDetails {@code cause}
 * and {@code detail}, TS 29.122 clause 5.2.6 / ETSI MEC 009) so callers can show it, never the request body.
 */
public class NetworkApiException extends RuntimeException {

    private final int status;
    private final String cause;

    /**
     * @param status HTTP status, or 0 when no answer arrived (I/O error, timeout)
     * @param cause ProblemDetails {@code cause} or null
     * @param message client-safe description
     */
    public NetworkApiException(int status, String cause, String message) {
        super(message);
        this.status = status;
        this.cause = cause;
    }

    /** HTTP status, 0 when the peer could not be reached. */
    public int status() {
        return status;
    }

    /** The application error cause from the ProblemDetails body, or null. */
    public String problemCause() {
        return cause;
    }

    /**
     * Whether trying again later can succeed: no answer, 429, or a 5xx other than 501. A 4xx is the
     * network's decision (for instance a refused QoS) and retrying it only adds load.
     */
    public boolean retryable() {
        return status == 0 || status == 429 || (status >= 500 && status != 501);
    }
}

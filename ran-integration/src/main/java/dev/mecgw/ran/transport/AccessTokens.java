package dev.mecgw.ran.transport;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where the OAuth 2.0 bearer token of network API calls comes from (TS 29.122 clause 5.2.3, ETSI MEC 009
 * clause 7.2): none, a fixed token, or one fetched with the client credentials grant. Thread-safe.
 */
public interface AccessTokens {

    /**
     * @return the token to send, empty for none; may fetch one, never blocks the caller. Fails with
     *     {@link NetworkApiException} when no token can be obtained.
     */
    CompletableFuture<Optional<String>> current();

    /**
     * The API answered 401 to {@code token}: forget it.
     *
     * @return true when {@link #current()} can now give a different token (worth one retry)
     */
    boolean invalidate(String token);

    /** A fixed token (or none), as configured; it cannot be refreshed. */
    static AccessTokens fixed(Optional<String> token) {
        CompletableFuture<Optional<String>> value = CompletableFuture.completedFuture(token);
        return new AccessTokens() {
            @Override
            public CompletableFuture<Optional<String>> current() {
                return value;
            }

            @Override
            public boolean invalidate(String refused) {
                return false;
            }

            @Override
            public String toString() {
                return token.isPresent() ? "fixed bearer token" : "no token";
            }
        };
    }
}

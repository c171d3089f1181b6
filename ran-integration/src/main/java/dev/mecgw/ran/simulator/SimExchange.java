package dev.mecgw.ran.simulator;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One message the simulator saw or sent, for contract checks and the demo log.
 *
 * @param kind what the message is
 * @param method HTTP method
 * @param uri request URI (path and query for requests to the simulator, absolute for notifications)
 * @param status the response status; for {@link Kind#REQUEST} the status the simulator answered
 * @param contentType content type of {@code body}, or null
 * @param body JSON body, or null when there was none
 */
public record SimExchange(Kind kind, String method, String uri, int status, String contentType, JsonNode body) {

    /** Direction and role of the message. */
    public enum Kind {
        /** A request a client sent to the simulator. */
        REQUEST,
        /** The simulator's response to a {@link #REQUEST}. */
        RESPONSE,
        /** A notification the simulator posted to a callback; status is the callback's answer. */
        NOTIFICATION
    }
}

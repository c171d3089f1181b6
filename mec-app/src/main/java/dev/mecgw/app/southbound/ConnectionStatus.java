package dev.mecgw.app.southbound;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * The live connection state of one southbound device.
 *
 * @param state where the connection stands
 * @param lastError the last failure's client-safe description; null when there was none since start
 * @param since when {@code state} was entered
 */
public record ConnectionStatus(
        @JsonIgnore ConnectionState state,
        @JsonInclude(JsonInclude.Include.NON_NULL) String lastError,
        Instant since) {

    /** The state's API name. */
    @JsonProperty("state")
    public String stateLabel() {
        return state.label();
    }
}

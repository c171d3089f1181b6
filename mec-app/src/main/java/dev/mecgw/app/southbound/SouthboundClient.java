package dev.mecgw.app.southbound;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mecgw.app.twin.DeviceCommand;
import java.util.concurrent.CompletionStage;

/**
 * The gateway's connection to one southbound device. Built by {@link SouthboundProtocol#open}, started once, closed
 * once. A client reports through its {@link SouthboundLink}: readings, {@code online()} when the device answers,
 * {@code offline(error)} on each failure (then it retries on its own with {@link Backoff}). Methods must not block:
 * blocking work goes to {@link SouthboundLink#workers()}.
 */
public interface SouthboundClient extends AutoCloseable {

    /** Connects and starts polling or listening; failures are reported through the link, never thrown. */
    void start();

    /**
     * Carries out a command sent through the command REST API or the cloud's downlink (docs/southbound.md lists each
     * protocol's command names and arguments).
     *
     * @param command the command; its payload is the JSON arguments
     * @return completes with the result document recorded as the command's response; fails with a
     *     {@link dev.mecgw.app.problem.GatewayException} (BAD_REQUEST for bad arguments, UNAVAILABLE when the device
     *     cannot be reached), whose message is recorded as the response's error
     */
    CompletionStage<JsonNode> execute(DeviceCommand command);

    /** Stops timers and closes the connection; reports nothing afterwards. Idempotent. */
    @Override
    void close();
}

package dev.mecgw.app.ingest;

import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.telemetry.Reading;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * {@link TelemetryIngest} that sends each device message into the {@link TelemetryChannels#INGEST} channel and
 * completes when the message is acknowledged, i.e. committed; a negative acknowledgement fails it with the
 * reason the sink gave. Front-ends therefore know the channel's contract, not the writer behind it.
 */
class ChannelTelemetryIngest implements TelemetryIngest {

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final Emitter<TelemetryMessage> channel;

    ChannelTelemetryIngest(Emitter<TelemetryMessage> channel) {
        this.channel = channel;
    }

    @Override
    public CompletionStage<Void> submit(List<Reading> readings) {
        CompletableFuture<Void> committed = new CompletableFuture<>();
        Message<TelemetryMessage> message = Message.of(
                new TelemetryMessage(readings),
                () -> {
                    committed.complete(null);
                    return DONE;
                },
                failure -> {
                    committed.completeExceptionally(failure);
                    return DONE;
                });
        try {
            channel.send(message);
        } catch (RuntimeException e) {
            // The channel refuses sends once the application is stopping (or its stream failed).
            committed.completeExceptionally(
                    new GatewayException(ErrorKind.UNAVAILABLE, "Telemetry channel is closed", e));
        }
        return committed;
    }
}

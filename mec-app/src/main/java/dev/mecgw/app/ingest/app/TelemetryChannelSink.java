package dev.mecgw.app.ingest.app;

import dev.mecgw.app.ingest.GroupCommitWriter;
import dev.mecgw.app.ingest.TelemetryChannels;
import dev.mecgw.app.telemetry.Reading;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Consumes the {@link TelemetryChannels#INGEST} channel into PostgreSQL. Each message is acknowledged only after
 * the batch holding it is committed, and negatively acknowledged with the writer's reason otherwise.
 */
@ApplicationScoped
public class TelemetryChannelSink {

    private static final CompletableFuture<Void> ACCEPTED = CompletableFuture.completedFuture(null);

    private final GroupCommitWriter writer;

    TelemetryChannelSink(GroupCommitWriter writer) {
        this.writer = writer;
    }

    @Incoming(TelemetryChannels.INGEST)
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    CompletionStage<Void> write(Message<List<Reading>> message) {
        writer.write(message.getPayload()).whenComplete((committed, failure) -> {
            if (failure == null) {
                message.ack();
            } else {
                message.nack(failure);
            }
        });
        // Returning at once, not the commit's stage: the channel delivers messages one at a time, and group
        // commit needs many of them queued while a batch is being written.
        return ACCEPTED;
    }
}

package dev.mecgw.app.ingest.app;

import dev.mecgw.app.ingest.GroupCommitWriter;
import dev.mecgw.app.ingest.TelemetryChannels;
import dev.mecgw.app.ingest.TelemetryMessage;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Flow;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes the {@link TelemetryChannels#INGEST} channel into PostgreSQL. Each message is acknowledged only after
 * the batch holding it is committed, and negatively acknowledged with the writer's reason otherwise.
 *
 * <p>It subscribes to the channel's stream instead of being called per message: a per-message method makes the
 * runtime wait for each call's stage before delivering the next message (group commit needs many queued while a
 * batch is written) and builds a few operators per message, which cost as much as the rest of ingest together.
 * Demand is unbounded because {@link GroupCommitWriter#write} never blocks: a full writer refuses a message by
 * failing its stage, which becomes the negative acknowledgement.
 */
@ApplicationScoped
public class TelemetryChannelSink {

    private static final Logger LOG = Logger.getLogger(TelemetryChannelSink.class);

    private final GroupCommitWriter writer;

    TelemetryChannelSink(GroupCommitWriter writer) {
        this.writer = writer;
    }

    @Incoming(TelemetryChannels.INGEST)
    Flow.Subscriber<Message<TelemetryMessage>> sink() {
        return new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(Message<TelemetryMessage> message) {
                writer.write(message.getPayload().readings()).whenComplete((committed, failure) -> {
                    if (failure == null) {
                        message.ack();
                    } else {
                        message.nack(failure);
                    }
                });
            }

            @Override
            public void onError(Throwable failure) {
                LOG.errorf(failure, "Telemetry channel failed; front-ends now get 'unavailable'");
            }

            @Override
            public void onComplete() {
                LOG.debug("Telemetry channel completed");
            }
        };
    }
}

package dev.mecgw.app.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.telemetry.Reading;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

class ChannelTelemetryIngestTest {

    private final RecordingChannel channel = new RecordingChannel();
    private final ChannelTelemetryIngest ingest = new ChannelTelemetryIngest(channel);

    @Test
    void shouldCompleteOnlyWhenTheMessageIsAcknowledged() {
        // given a submission sent into the channel
        List<Reading> readings = List.of(new Reading("d1", "temp", Instant.now(), 21.5));
        CompletableFuture<Void> committed = ingest.submit(readings).toCompletableFuture();
        assertThat(channel.sent)
                .singleElement()
                .extracting(m -> m.getPayload().readings())
                .isEqualTo(readings);
        assertThat(committed).isNotDone();

        // when the sink acknowledges it
        channel.sent.get(0).ack();

        // then the submission completes
        assertThat(committed).isCompleted();
    }

    @Test
    void shouldFailWithTheSinksReasonWhenTheMessageIsNegativelyAcknowledged() {
        // given a submission
        CompletableFuture<Void> committed = ingest.submit(List.of(new Reading("d1", "temp", Instant.now(), 1)))
                .toCompletableFuture();

        // when the sink refuses it because its queue is full
        channel.sent.get(0).nack(new GatewayException(ErrorKind.QUOTA_EXCEEDED, "Ingest queue full; retry later"));

        // then the front-end sees that reason
        assertThat(committed)
                .failsWithin(java.time.Duration.ZERO)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.QUOTA_EXCEEDED));
    }

    @Test
    void shouldFailAsUnavailableWhenTheChannelIsClosed() {
        // given a channel that refuses sends (application stopping)
        channel.closed = true;

        // when a front-end submits
        CompletableFuture<Void> committed = ingest.submit(List.of(new Reading("d1", "temp", Instant.now(), 1)))
                .toCompletableFuture();

        // then it fails as unavailable instead of hanging
        assertThat(committed)
                .failsWithin(java.time.Duration.ZERO)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE));
    }

    /** A channel end that records what is sent, as the messaging runtime would hand it to the sink. */
    private static final class RecordingChannel implements Emitter<TelemetryMessage> {

        final List<Message<TelemetryMessage>> sent = new ArrayList<>();
        boolean closed;

        @Override
        public CompletionStage<Void> send(TelemetryMessage payload) {
            throw new UnsupportedOperationException("the ingest sends messages, to carry the acknowledgement");
        }

        @Override
        @SuppressWarnings("unchecked")
        public <M extends Message<? extends TelemetryMessage>> void send(M message) {
            if (closed) {
                throw new IllegalStateException("SRMSG00034: Insufficient downstream requests to emit item");
            }
            sent.add((Message<TelemetryMessage>) message);
        }

        @Override
        public void complete() {
            closed = true;
        }

        @Override
        public void error(Exception e) {
            closed = true;
        }

        @Override
        public boolean isCancelled() {
            return closed;
        }

        @Override
        public boolean hasRequests() {
            return !closed;
        }
    }
}

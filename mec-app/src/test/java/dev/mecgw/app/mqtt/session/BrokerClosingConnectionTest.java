package dev.mecgw.app.mqtt.session;

import static dev.mecgw.app.mqtt.session.RecordingEndpoint.givenAClient;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.app.acl.Principal;
import dev.mecgw.app.mqtt.MemorySessionStore;
import dev.mecgw.app.mqtt.StandaloneBroker;
import dev.mecgw.app.mqtt.persistence.BrokerMessage;
import dev.mecgw.app.mqtt.persistence.RetainedMessages;
import dev.mecgw.app.mqtt.persistence.SessionStore;
import dev.mecgw.app.mqtt.persistence.Subscription;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A gateway publish that meets a subscriber whose client already sent DISCONNECT: vert.x refuses writes on that
 * endpoint at once ({@code MqttEndpointImpl.close()} clears its connected flag) while the close handler that detaches
 * the session runs later. Soak run s8: {@code CommandDispatcherTest} failed with "Connection not accepted yet".
 * The broker runs on a real event-loop context; the session store is in memory and written on that thread.
 */
class BrokerClosingConnectionTest {

    private static final String CLIENT = "door-once";
    private static final String FILTER = "devices/door/commands/+";
    private static final long EXPIRY_SECONDS = 300;

    private final Vertx vertx = Vertx.vertx();
    private final Context context = vertx.getOrCreateContext();
    private final BrokerMetrics metrics = new BrokerMetrics(new SimpleMeterRegistry());
    private final MemorySessionStore store = new MemorySessionStore();

    @AfterEach
    void closeVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldStoreCommandOnceAndDeliverItOnceAfterRestartWhenSubscriberConnectionIsClosing() throws Exception {
        // given: a persistent session subscribed to its commands, whose connection is closing
        Broker broker = givenABroker();
        RecordingEndpoint closing = givenAClient();
        onBroker(() -> {
            MqttSession session = connect(broker, closing);
            broker.subscribe(session, new Subscription(CLIENT, FILTER, null, 1, false, false, false, 0));
            closing.closing();
            return null;
        });
        // when: the dispatcher hands a command in that window
        broker.publishFromGateway(command("c-1")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        // and: the close handler runs
        onBroker(() -> {
            broker.closed(broker.session(CLIENT), null, 0);
            return null;
        });
        // then: nothing was written to the closing connection, and the command is stored once
        assertThat(closing.published).isEmpty();
        assertThat(storedQueue()).hasSize(1);
        // when: the gateway restarts, the dispatcher hands the command again, and the client reconnects
        Broker restarted = givenABroker();
        restarted.loadSessions();
        restarted.publishFromGateway(command("c-1")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        RecordingEndpoint back = givenAClient();
        onBroker(() -> connect(restarted, back));
        // then: the device gets it once
        assertThat(back.published)
                .singleElement()
                .satisfies(sent -> assertThat(sent.topic()).isEqualTo("devices/door/commands/unlock"));
    }

    private Broker givenABroker() {
        Broker.Limits limits = new Broker.Limits(
                100,
                1_000_000,
                Duration.ofSeconds(10),
                Duration.ofHours(1),
                10,
                100,
                new RetainedMessages.Quota(10, 10_000, 100, 100_000));
        return new Broker(
                vertx,
                context,
                limits,
                new StandaloneBroker.NoRetained(),
                store,
                Runnable::run,
                metrics,
                Clock.systemUTC());
    }

    /** Opens or resumes the session and attaches the connection, as an accepted CONNECT does. */
    private MqttSession connect(Broker broker, RecordingEndpoint client) {
        MqttSession session = broker.open(CLIENT, Principal.anonymous(), false).session();
        session.attach(
                client.endpoint,
                new PublisherFlow(InboundGate.OPEN, session, metrics),
                10,
                Integer.MAX_VALUE,
                EXPIRY_SECONDS);
        broker.attached(session);
        return session;
    }

    private List<SessionStore.StoredMessage> storedQueue() {
        return store.loadAll().stream()
                .filter(s -> s.clientId().equals(CLIENT))
                .findFirst()
                .orElseThrow()
                .messages();
    }

    /** Runs a step on the broker's context, where all its state lives, and waits for it. */
    private <T> T onBroker(Supplier<T> step) throws Exception {
        CompletableFuture<T> done = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                done.complete(step.get());
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return done.get(10, TimeUnit.SECONDS);
    }

    /** A gateway command as the command routing builds it: its id in user property {@code command-id}. */
    private static BrokerMessage command(String commandId) {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.UserProperty(BrokerMessage.COMMAND_ID, commandId));
        return new BrokerMessage(
                "devices/door/commands/unlock", "{}".getBytes(StandardCharsets.UTF_8), 1, false, properties, 0, null);
    }
}

package dev.mecgw.app.mqtt.session;

import static dev.mecgw.app.mqtt.session.RecordingEndpoint.givenAClient;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.app.acl.Principal;
import dev.mecgw.app.mqtt.TestClock;
import dev.mecgw.app.mqtt.delivery.OutboundQueue;
import dev.mecgw.app.mqtt.persistence.BrokerMessage;
import dev.mecgw.app.mqtt.persistence.SessionStore;
import dev.mecgw.app.mqtt.persistence.StoreWrites;
import dev.mecgw.app.mqtt.persistence.Subscription;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.mqtt.MqttProperties;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The session state machine without a socket or Quarkus: outbound inflight window, QoS 1/2 delivery acks,
 * clean and persistent sessions, and the offline queue. The client is a {@link RecordingEndpoint}; the
 * session store is an in-memory fake written synchronously (the store thread is the caller's thread).
 */
class MqttSessionTest {

    private static final int WINDOW = 2;
    private static final long EXPIRY_SECONDS = 300;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final BrokerMetrics metrics = new BrokerMetrics(meters);
    private final InMemorySessions store = new InMemorySessions();
    private final SessionJournal journal = new SessionJournal(store, new StoreWrites(Runnable::run));

    @Test
    void shouldKeepAtMostWindowUnacknowledgedWhenDeliveringMore() {
        // given
        MqttSession session = givenASession(10);
        RecordingEndpoint client = givenAClient();
        attach(session, client);
        // when
        deliver(session, 1, "m1", "m2", "m3", "m4");
        // then: two in flight, the rest queued in order
        assertThat(client.payloads()).containsExactly("m1", "m2");
        assertThat(session.inflightCount()).isEqualTo(WINDOW);
        assertThat(session.queuedCount()).isEqualTo(2);
    }

    @Test
    void shouldSendNextQueuedMessageWhenClientAcknowledgesOne() {
        // given
        MqttSession session = givenASession(10);
        RecordingEndpoint client = givenAClient();
        attach(session, client);
        deliver(session, 1, "m1", "m2", "m3");
        // when
        session.onPuback(client.published.get(0).packetId());
        // then
        assertThat(client.payloads()).containsExactly("m1", "m2", "m3");
        assertThat(session.inflightCount()).isEqualTo(WINDOW);
        assertThat(session.queuedCount()).isZero();
    }

    @Test
    void shouldIgnoreAcknowledgementWhenPacketIdIsUnknown() {
        // given
        MqttSession session = givenASession(10);
        RecordingEndpoint client = givenAClient();
        attach(session, client);
        deliver(session, 1, "m1", "m2", "m3");
        // when: a stray PUBACK for an id never sent
        session.onPuback(999);
        // then: the window is still full, nothing more sent
        assertThat(client.payloads()).containsExactly("m1", "m2");
        assertThat(session.queuedCount()).isEqualTo(1);
    }

    @Test
    void shouldUseDistinctPacketIdsWhenMessagesAreInFlight() {
        // given
        MqttSession session = givenASession(10);
        RecordingEndpoint client = givenAClient();
        attach(session, client);
        // when
        deliver(session, 2, "a", "b");
        // then
        assertThat(client.published)
                .extracting(RecordingEndpoint.Sent::packetId)
                .doesNotHaveDuplicates()
                .allSatisfy(id -> assertThat(id).isPositive());
    }

    @Test
    void shouldReleaseThenCompleteWhenQos2DeliveryIsReceivedAndCompleted() {
        // given
        MqttSession session = givenASession(10);
        RecordingEndpoint client = givenAClient();
        attach(session, client);
        deliver(session, 2, "exactly-once", "next", "third");
        int id = client.published.get(0).packetId();
        // when: PUBREC
        session.onPubrec(id, false);
        // then: PUBREL sent, the message still holds its place in the window
        assertThat(client.released).containsExactly(id);
        assertThat(session.inflightCount()).isEqualTo(WINDOW);
        assertThat(client.payloads()).containsExactly("exactly-once", "next");
        // when: PUBCOMP
        session.onPubcomp(id);
        // then: the flow is over and the window refills
        assertThat(client.payloads()).containsExactly("exactly-once", "next", "third");
        assertThat(client.published).allSatisfy(sent -> assertThat(sent.qos()).isEqualTo(2));
    }

    @Test
    void shouldFreeWindowWithoutReleaseWhenPubrecReportsFailure() {
        // given
        MqttSession session = givenASession(10);
        RecordingEndpoint client = givenAClient();
        attach(session, client);
        deliver(session, 2, "refused", "next", "third");
        // when: MQTT 5 PUBREC with a failure reason ends the flow (section 4.3.3)
        session.onPubrec(client.published.get(0).packetId(), true);
        // then
        assertThat(client.released).isEmpty();
        assertThat(client.payloads()).containsExactly("refused", "next", "third");
    }

    @Test
    void shouldResendPubrelNotPublishWhenClientReconnectsAfterPubrec() {
        // given: a QoS 2 delivery received by the client, then the connection drops
        MqttSession session = givenASession(10);
        RecordingEndpoint first = givenAClient();
        attach(session, first);
        deliver(session, 2, "exactly-once");
        int id = first.published.get(0).packetId();
        session.onPubrec(id, false);
        session.detach();
        // when
        RecordingEndpoint second = givenAClient();
        attach(session, second);
        // then: MQTT 3.1.1 section 4.4: the PUBREL is resent, the message never again
        assertThat(second.published).isEmpty();
        assertThat(second.released).containsExactly(id);
    }

    @Test
    void shouldResendUnacknowledgedWithDupFlagWhenClientReconnects() {
        // given
        MqttSession session = givenASession(10);
        RecordingEndpoint first = givenAClient();
        attach(session, first);
        deliver(session, 1, "m1");
        session.detach();
        // when
        RecordingEndpoint second = givenAClient();
        attach(session, second);
        // then: same packet id, DUP set
        assertThat(second.published).singleElement().satisfies(sent -> {
            assertThat(sent.payload()).isEqualTo("m1");
            assertThat(sent.dup()).isTrue();
            assertThat(sent.packetId()).isEqualTo(first.published.get(0).packetId());
        });
    }

    @Test
    void shouldDeliverQueuedMessagesInOrderWhenClientReconnects() {
        // given: a session whose client went away
        MqttSession session = givenASession(10);
        attach(session, givenAClient());
        session.detach();
        // when: messages arrive while it is offline, then it reconnects
        deliver(session, 1, "o1", "o2", "o3");
        assertThat(session.queuedCount()).isEqualTo(3);
        RecordingEndpoint back = givenAClient();
        attach(session, back);
        // then: the window's worth at once, the rest as acknowledgements come, all in order
        assertThat(back.payloads()).containsExactly("o1", "o2");
        back.published.stream().toList().forEach(sent -> session.onPuback(sent.packetId()));
        assertThat(back.payloads()).containsExactly("o1", "o2", "o3");
    }

    @Test
    void shouldDropOldestAndCountItWhenOfflineQueueIsFull() {
        // given: room for three messages
        MqttSession session = givenASession(3);
        attach(session, givenAClient());
        session.detach();
        // when
        deliver(session, 1, "o1", "o2", "o3", "o4", "o5");
        RecordingEndpoint back = givenAClient();
        attach(session, back);
        back.published.stream().toList().forEach(sent -> session.onPuback(sent.packetId()));
        // then: the newest three survive, in order
        assertThat(back.payloads()).containsExactly("o3", "o4", "o5");
        assertThat(meters.counter("mecgw.mqtt.messages.dropped").count()).isEqualTo(2);
    }

    @Test
    void shouldNotQueueQos0WhenClientIsOffline() {
        // given
        MqttSession session = givenASession(10);
        attach(session, givenAClient());
        session.detach();
        // when
        deliver(session, 0, "at-most-once");
        // then
        assertThat(session.queuedCount()).isZero();
    }

    @Test
    void shouldJournalOfflineMessagesAndForgetThemWhenAcknowledged() {
        // given: a persistent session (stored), offline
        MqttSession session = givenASession(10);
        attach(session, givenAClient());
        journal.save(session, 0);
        session.detach();
        // when
        deliver(session, 1, "stored");
        // then: written through to the store
        assertThat(store.appended).extracting(SessionStore.StoredMessage::seq).containsExactly(1L);
        // when: delivered and acknowledged after reconnecting
        RecordingEndpoint back = givenAClient();
        attach(session, back);
        session.onPuback(back.published.get(0).packetId());
        // then: the stored copy goes
        assertThat(store.removed).containsExactly(1L);
    }

    @Test
    void shouldStoreUnacknowledgedAndQueuedMessagesWhenPersistentSessionGoesOffline() {
        // given: online, one message in flight and one queued (both in memory only)
        MqttSession session = givenASession(10);
        attach(session, givenAClient(), 1);
        journal.save(session, 0);
        deliver(session, 1, "inflight", "queued");
        assertThat(store.appended).isEmpty();
        // when
        session.storePending();
        // then: both stored, in delivery order
        assertThat(store.appended).extracting(m -> text(m.message())).containsExactly("inflight", "queued");
    }

    @Test
    void shouldJournalMessageOnceAndDeliverItOnReconnectWhenConnectionIsClosingButNotYetDetached() {
        // given: a persistent session whose client sent DISCONNECT: vert.x already refuses writes on the endpoint,
        // but its close handler (which detaches the session) has not run yet (soak s8, CommandDispatcherTest)
        MqttSession session = givenASession(10);
        RecordingEndpoint closing = givenAClient();
        attach(session, closing);
        journal.save(session, 0);
        closing.closing();
        // when: a command is delivered in that window
        session.deliver(command("c-1"), 1, false);
        // then: the publisher does not fail; the command is queued and stored as for an offline session
        assertThat(closing.published).isEmpty();
        assertThat(session.queuedCount()).isEqualTo(1);
        assertThat(store.appended).extracting(SessionStore.StoredMessage::seq).containsExactly(1L);
        // when: the close handler detaches the session and stores what it owes, and the client comes back
        session.detach();
        session.storePending();
        RecordingEndpoint back = givenAClient();
        attach(session, back);
        session.deliver(command("c-1"), 1, false);
        // then: stored once, delivered once (not as a resend), and the stored copy goes with the acknowledgement
        assertThat(store.appended).hasSize(1);
        assertThat(back.published).extracting(RecordingEndpoint.Sent::dup).containsExactly(false);
        session.onPuback(back.published.get(0).packetId());
        assertThat(store.removed).containsExactly(1L);
        assertThat(session.heldCommandIds()).isEmpty();
    }

    @Test
    void shouldDropQos0AndNotHoldPublishersWhenConnectionIsClosing() {
        // given
        MqttSession session = givenASession(10);
        RecordingEndpoint closing = givenAClient();
        attach(session, closing);
        closing.closing();
        // when
        deliver(session, 0, "at-most-once");
        // then: as for an offline client: not written, not queued
        assertThat(closing.published).isEmpty();
        assertThat(session.queuedCount()).isZero();
    }

    @Test
    void shouldKeepInflightForTheNextConnectionWhenAcknowledgedWhileClosing() {
        // given: m1 and m2 in flight and m3 queued, then the connection starts closing
        MqttSession session = givenASession(10);
        RecordingEndpoint closing = givenAClient();
        attach(session, closing);
        deliver(session, 2, "m1", "m2", "m3");
        closing.closing();
        // when: the PUBREC of m1 and the PUBACK-freed slot of m2 are handled in that window
        int m1 = closing.published.get(0).packetId();
        session.onPubrec(m1, false);
        session.onPubrec(closing.published.get(1).packetId(), true);
        // then: nothing is written to the closing connection; m3 waits in the queue
        assertThat(closing.released).isEmpty();
        assertThat(closing.payloads()).containsExactly("m1", "m2");
        assertThat(session.queuedCount()).isEqualTo(1);
        // when: the client reconnects
        session.detach();
        RecordingEndpoint back = givenAClient();
        attach(session, back);
        // then: m1's PUBREL is resent (MQTT section 4.4), m3 is sent, m1 is never sent again
        assertThat(back.released).containsExactly(m1);
        assertThat(back.payloads()).containsExactly("m3");
    }

    @Test
    void shouldDeliverRestoredQueueWhenStoredSessionReconnects() {
        // given: a session restored at start-up with two stored messages
        MqttSession session = givenASession(10);
        restore(
                session,
                List.of(new Subscription("client", "a/#", null, 1, false, false, false)),
                new SessionStore.StoredMessage(7, message("r1"), 1, false),
                new SessionStore.StoredMessage(8, message("r2"), 1, false));
        // when
        RecordingEndpoint back = givenAClient();
        attach(session, back);
        // then
        assertThat(session.subscriptions()).containsKey(Broker.key(null, "a/#"));
        assertThat(back.payloads()).containsExactly("r1", "r2");
        back.published.forEach(sent -> session.onPuback(sent.packetId()));
        assertThat(store.removed).containsExactly(7L, 8L);
    }

    @Test
    void shouldHoldCommandOnceWhenItIsHandedAgainAfterRestart() {
        // given: a session restored at start-up whose stored queue holds command c-1 (handed before a crash that
        // came before the gateway recorded it handed)
        MqttSession session = givenASession(10);
        restore(session, List.of(), new SessionStore.StoredMessage(7, command("c-1"), 1, false));
        // when: the restarted dispatcher hands c-1 again, and then c-2
        session.deliver(command("c-1"), 1, false);
        session.deliver(command("c-2"), 1, false);
        // then: one copy of each is queued, and the client gets each once
        assertThat(session.queuedCount()).isEqualTo(2);
        RecordingEndpoint back = givenAClient();
        attach(session, back);
        session.deliver(command("c-1"), 1, false);
        assertThat(back.published).hasSize(2);
    }

    @Test
    void shouldHoldACommandUntilItsAcknowledgementWhenItMovesFromQueueToWindow() {
        // given: a window of one, c-1 in flight and c-2 queued
        MqttSession session = givenASession(10);
        RecordingEndpoint client = givenAClient();
        attach(session, client, 1);
        session.deliver(command("c-1"), 1, false);
        session.deliver(command("c-2"), 1, false);
        assertThat(session.heldCommandIds()).containsExactlyInAnyOrder("c-1", "c-2");
        // when: c-2 is handed again, then c-1 is acknowledged and c-2 moves into the window
        session.deliver(command("c-2"), 1, false);
        session.onPuback(client.published.get(0).packetId());
        // then: c-2 was queued once and is still held in flight; c-1 is no longer held
        assertThat(session.queuedCount()).isZero();
        assertThat(client.published).hasSize(2);
        assertThat(session.heldCommandIds()).containsExactly("c-2");
        // when: c-2 is acknowledged too
        session.onPuback(client.published.get(1).packetId());
        // then: nothing is held, and a later copy of c-1 would be delivered
        assertThat(session.heldCommandIds()).isEmpty();
        session.deliver(command("c-1"), 1, false);
        assertThat(client.published).hasSize(3);
    }

    @Test
    void shouldForgetACommandWhenTheOfflineQueueDropsItOnOverflow() {
        // given: an offline session with room for two messages, holding c-1 then c-2
        MqttSession session = givenASession(2);
        attach(session, givenAClient());
        session.detach();
        session.deliver(command("c-1"), 1, false);
        session.deliver(command("c-2"), 1, false);
        // when: a third message drops the oldest, c-1
        deliver(session, 1, "ordinary");
        // then: c-1 is no longer held
        assertThat(session.heldCommandIds()).containsExactly("c-2");
        // when: c-1 is handed again, which drops the oldest, c-2
        session.deliver(command("c-1"), 1, false);
        // then: c-1 is queued again and c-2 is no longer held
        assertThat(session.heldCommandIds()).containsExactly("c-1");
        assertThat(session.queuedCount()).isEqualTo(2);
    }

    @Test
    void shouldForgetCommandsThatExpireQueuedOrInFlightWhenTheClientReconnects() {
        // given: c-1 and c-2 in flight and c-3 queued, all expiring in 10 s, when the connection drops
        TestClock clock = new TestClock();
        MqttSession session = givenASession(10, clock);
        attach(session, givenAClient());
        session.deliver(command("c-1", clock.millis() + 10_000), 1, false);
        session.deliver(command("c-2", clock.millis() + 10_000), 1, false);
        session.deliver(command("c-3", clock.millis() + 10_000), 1, false);
        session.detach();
        // when: the client comes back after their expiry
        clock.advance(Duration.ofSeconds(11));
        RecordingEndpoint back = givenAClient();
        attach(session, back);
        // then: none is resent or sent, none is held, and the window is free
        assertThat(back.published).isEmpty();
        assertThat(session.heldCommandIds()).isEmpty();
        assertThat(session.inflightCount()).isZero();
        assertThat(session.queuedCount()).isZero();
    }

    @Test
    void shouldForgetACommandWhenItsPubrecReportsFailure() {
        // given: c-1 in flight at QoS 2
        MqttSession session = givenASession(10);
        RecordingEndpoint client = givenAClient();
        attach(session, client);
        session.deliver(command("c-1"), 2, false);
        // when: the client refuses it (MQTT 5 PUBREC with a failure reason)
        session.onPubrec(client.published.get(0).packetId(), true);
        // then
        assertThat(session.heldCommandIds()).isEmpty();
    }

    @Test
    void shouldKeepHoldingCommandsWhenTheClientTakesItsSessionOverAndForgetThemOnCleanStart() {
        // given: c-1 in flight on a first connection
        MqttSession session = givenASession(10);
        attach(session, givenAClient());
        session.deliver(command("c-1"), 1, false);
        // when: a second connection takes the session over (no clean start) and c-1 is handed again
        session.detach();
        RecordingEndpoint second = givenAClient();
        attach(session, second);
        session.deliver(command("c-1"), 1, false);
        // then: it is resent once, as a duplicate, and still held
        assertThat(second.published).extracting(RecordingEndpoint.Sent::dup).containsExactly(true);
        assertThat(session.heldCommandIds()).containsExactly("c-1");
        // when: a client connects with clean start
        session.detach();
        session.reset();
        // then: the session holds nothing any more
        assertThat(session.heldCommandIds()).isEmpty();
    }

    @Test
    void shouldHoldACommandUntilEveryCopyOfARestoredQueueIsAcknowledged() {
        // given: a stored queue holding c-1 twice (queued twice before commands were handed once per id)
        MqttSession session = givenASession(10);
        restore(
                session,
                List.of(),
                new SessionStore.StoredMessage(7, command("c-1"), 1, false),
                new SessionStore.StoredMessage(8, command("c-1"), 1, false));
        RecordingEndpoint back = givenAClient();
        attach(session, back);
        // when: the first copy is acknowledged
        session.onPuback(back.published.get(0).packetId());
        // then: the second is still in flight, so c-1 is still held
        assertThat(session.heldCommandIds()).containsExactly("c-1");
        // when: the second is acknowledged
        session.onPuback(back.published.get(1).packetId());
        // then
        assertThat(session.heldCommandIds()).isEmpty();
    }

    @Test
    void shouldDeliverEveryCopyWhenOrdinaryMessagesRepeat() {
        // given: an offline persistent session
        MqttSession session = givenASession(10);
        attach(session, givenAClient());
        session.detach();
        // when: the same ordinary message is published twice
        deliver(session, 1, "same", "same");
        // then: MQTT semantics: both are queued
        assertThat(session.queuedCount()).isEqualTo(2);
    }

    @Test
    void shouldDropSubscriptionsQueueAndInflightWhenSessionIsReset() {
        // given: a session with a subscription, in-flight and queued messages
        MqttSession session = givenASession(10);
        session.subscriptions().put("a/#", new Subscription("client", "a/#", null, 1, false, false, false));
        RecordingEndpoint first = givenAClient();
        attach(session, first);
        deliver(session, 1, "m1", "m2", "m3");
        session.awaitingRelease().put(5, true);
        session.detach();
        // when: the client connects with clean start
        session.reset();
        RecordingEndpoint fresh = givenAClient();
        attach(session, fresh);
        // then
        assertThat(session.subscriptions()).isEmpty();
        assertThat(session.awaitingRelease()).isEmpty();
        assertThat(session.inflightCount()).isZero();
        assertThat(session.queuedCount()).isZero();
        assertThat(fresh.published).isEmpty();
    }

    @Test
    void shouldKeepSubscriptionsWhenPersistentClientReconnects() {
        // given
        MqttSession session = givenASession(10);
        session.subscriptions().put("a/#", new Subscription("client", "a/#", null, 1, false, false, false));
        attach(session, givenAClient());
        session.detach();
        // when
        attach(session, givenAClient());
        // then
        assertThat(session.subscriptions()).containsOnlyKeys("a/#");
        assertThat(session.isOnline()).isTrue();
    }

    @Test
    void shouldDropMessageWhenItExceedsClientMaximumPacketSize() {
        // given: a client that accepts packets of 32 bytes at most
        MqttSession session = givenASession(10);
        RecordingEndpoint client = givenAClient();
        session.attach(client.endpoint, null, WINDOW, 32, EXPIRY_SECONDS);
        // when
        deliver(session, 1, "x".repeat(64));
        // then
        assertThat(client.published).isEmpty();
        assertThat(session.queuedCount()).isZero();
    }

    private MqttSession givenASession(int queueLimit) {
        return givenASession(queueLimit, Clock.systemUTC());
    }

    private MqttSession givenASession(int queueLimit, Clock clock) {
        MqttSession session = new MqttSession(
                "client",
                Principal.anonymous(),
                new OutboundQueue(queueLimit, 1_000_000),
                new SubscriberCongestion(null, 60_000, metrics),
                metrics,
                journal,
                message -> {},
                clock);
        return session;
    }

    private void attach(MqttSession session, RecordingEndpoint client) {
        attach(session, client, WINDOW);
    }

    private void attach(MqttSession session, RecordingEndpoint client, int window) {
        session.attach(
                client.endpoint,
                new PublisherFlow(InboundGate.OPEN, session, metrics),
                window,
                Integer.MAX_VALUE,
                EXPIRY_SECONDS);
    }

    /** Restores the session as start-up does from its stored row and queue. */
    private static void restore(
            MqttSession session, List<Subscription> subscriptions, SessionStore.StoredMessage... queued) {
        session.restore(new SessionStore.StoredSession(
                "client", Principal.anonymous(), subscriptions, EXPIRY_SECONDS, 0, List.of(queued)));
    }

    private static void deliver(MqttSession session, int qos, String... payloads) {
        IntStream.range(0, payloads.length).forEach(i -> session.deliver(message(payloads[i]), qos, false));
    }

    private static BrokerMessage message(String payload) {
        return BrokerMessage.fromGateway("a/b", payload.getBytes(StandardCharsets.UTF_8), 1, false);
    }

    /** A gateway command as the command routing builds it: its id in user property {@code command-id}. */
    private static BrokerMessage command(String commandId) {
        return command(commandId, 0);
    }

    /** A gateway command that expires at {@code expiresAtMillis} (0: never). */
    private static BrokerMessage command(String commandId, long expiresAtMillis) {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.UserProperty(BrokerMessage.COMMAND_ID, commandId));
        return new BrokerMessage(
                "devices/d/commands/open",
                "{}".getBytes(StandardCharsets.UTF_8),
                1,
                false,
                properties,
                expiresAtMillis,
                null);
    }

    /** The broker's clock, moved by the test. */
    private static String text(BrokerMessage message) {
        return new String(message.payload(), StandardCharsets.UTF_8);
    }

    /** Records the writes a persistent session makes to its store. */
    private static final class InMemorySessions implements SessionStore {
        final List<StoredMessage> appended = new ArrayList<>();
        final List<Long> removed = new ArrayList<>();

        @Override
        public List<StoredSession> loadAll() {
            return List.of();
        }

        @Override
        public void save(
                String clientId,
                Principal principal,
                List<Subscription> subscriptions,
                long expirySeconds,
                long expiresAtMillis) {
            // Only the queue is inspected here.
        }

        @Override
        public void append(String clientId, StoredMessage message) {
            appended.add(message);
        }

        @Override
        public void remove(String clientId, long seq) {
            removed.add(seq);
        }

        @Override
        public void forget(String clientId) {
            appended.clear();
        }
    }
}

package dev.mecgw.app.mqtt;

import dev.mecgw.app.acl.Principal;
import dev.mecgw.app.acl.TopicFilters;
import dev.mecgw.app.mqtt.auth.AssignedClientId;
import dev.mecgw.app.mqtt.auth.ClientIdBinding;
import dev.mecgw.app.mqtt.auth.ConnectRequest;
import dev.mecgw.app.mqtt.persistence.BrokerMessage;
import dev.mecgw.app.mqtt.session.Broker;
import dev.mecgw.app.mqtt.session.InboundAcks;
import dev.mecgw.app.mqtt.session.InboundGate;
import dev.mecgw.app.mqtt.session.MqttSession;
import dev.mecgw.app.mqtt.session.PublisherFlow;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttWill;
import io.vertx.mqtt.messages.MqttDisconnectMessage;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * One client connection: CONNECT authentication, then inbound publishes through ACL and router, and
 * acknowledgements. Subscriptions are handled by {@link SubscriptionHandler}. Lives on the broker's
 * event loop; errors become reason codes here and nowhere else.
 */
class MqttConnection {

    private static final Logger LOG = Logger.getLogger(MqttConnection.class);

    private final MqttEndpoint endpoint;
    private final InboundGate gate;
    private final BrokerContext ctx;
    private final Runnable onClose;
    private MqttSession session;
    private PublisherFlow flow;
    private Principal principal;
    /** The CONNECT's client id, or the one assigned for an empty one (MQTT 5 section 3.2.2.3.7). */
    private String clientId;

    private boolean assignedClientId;
    private boolean graceful;
    private boolean closed;

    MqttConnection(MqttEndpoint endpoint, InboundGate gate, BrokerContext ctx, Runnable onClose) {
        this.endpoint = endpoint;
        this.gate = gate;
        this.ctx = ctx;
        this.onClose = onClose;
    }

    void start() {
        endpoint.publishAutoAck(false);
        endpoint.subscriptionAutoAck(false);
        endpoint.exceptionHandler(e -> {
            ctx.metrics().protocolError(e);
            LOG.debugf("MQTT connection %s closed after protocol error: %s", clientId, e);
            closeQuietly();
        });
        endpoint.closeHandler(v -> onClosed());
        endpoint.disconnectHandler(v -> graceful = true);
        endpoint.disconnectMessageHandler(this::onDisconnectMessage);
        if (isMqtt5()
                && endpoint.connectProperties().getProperty(MqttPropertyType.AUTHENTICATION_METHOD.value()) != null) {
            // MQTT 5 sections 3.1.2.11.9 and 4.12: no enhanced authentication method is supported.
            rejectQuietly(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_AUTHENTICATION_METHOD);
            return;
        }
        ctx.auth()
                .authenticate(ConnectRequest.of(endpoint))
                .compose(this::admitByNetwork)
                .compose(this::checkClientId)
                .compose(authenticated -> ctx.broker()
                        .sessionRefusal(clientId, authenticated)
                        .<Future<Principal>>map(Future::failedFuture)
                        .orElseGet(() -> Future.succeededFuture(authenticated)))
                .onComplete(ar -> {
                    if (closed) {
                        return;
                    }
                    if (ar.succeeded()) {
                        accept(ar.result());
                    } else {
                        ErrorKind kind = ar.cause() instanceof GatewayException g ? g.kind() : ErrorKind.INTERNAL;
                        rejectQuietly(MqttReasonCodes.connack(kind, isMqtt5()));
                    }
                });
    }

    /**
     * Issue #7: an authenticated device must also be who the 5G network says is behind its UE address
     * (SIM match, slice allows the type). A rejection is FORBIDDEN, i.e. CONNACK "not authorized".
     */
    private Future<Principal> admitByNetwork(Principal authenticated) {
        if (authenticated.deviceId() == null || endpoint.remoteAddress() == null) {
            return Future.succeededFuture(authenticated);
        }
        InetAddress peer;
        try {
            peer = InetAddress.getByName(endpoint.remoteAddress().hostAddress());
        } catch (UnknownHostException e) {
            return Future.succeededFuture(authenticated);
        }
        return Future.fromCompletionStage(ctx.admission().admit(peer, authenticated.deviceId()), Vertx.currentContext())
                .compose(rejection -> rejection.isEmpty()
                        ? Future.succeededFuture(authenticated)
                        : Future.failedFuture(new GatewayException(
                                ErrorKind.FORBIDDEN, "Refused by the 5G network: " + rejection.get())));
    }

    /** Issue 15: a device may not use (and so take over) another device's client id and session. */
    private Future<Principal> checkClientId(Principal authenticated) {
        assignedClientId = AssignedClientId.isRequested(endpoint.clientIdentifier());
        clientId = assignedClientId ? AssignedClientId.forPrincipal(authenticated) : endpoint.clientIdentifier();
        MqttSession holder = ctx.broker().session(clientId);
        return ClientIdBinding.check(authenticated, clientId, holder == null ? null : holder.principal())
                .<Future<Principal>>map(refusal -> {
                    ctx.metrics().refusedClientId();
                    LOG.debugf("MQTT client id %s refused for %s", clientId, authenticated);
                    return Future.failedFuture(refusal);
                })
                .orElseGet(() -> Future.succeededFuture(authenticated));
    }

    /**
     * MQTT 5 section 3.14.2.2.2: a DISCONNECT may change the Session Expiry Interval, but not from 0 to non-zero:
     * that is a protocol error (0x82), the DISCONNECT is not valid, so the will is sent.
     */
    private void onDisconnectMessage(MqttDisconnectMessage message) {
        graceful = message.code() != MqttDisconnectReasonCode.WITH_WILL_MESSAGE;
        MqttProperties.MqttProperty<?> asked = message.properties() == null || session == null
                ? null
                : message.properties().getProperty(MqttPropertyType.SESSION_EXPIRY_INTERVAL.value());
        if (asked == null) {
            return;
        }
        long seconds = Integer.toUnsignedLong((Integer) asked.value());
        if (session.expirySeconds() == 0 && seconds > 0) {
            graceful = false;
            ctx.metrics().protocolError();
            ProtocolErrorDisconnect.send(endpoint);
            return;
        }
        session.changeExpiry(Math.min(seconds, ctx.config().maxSessionExpiry().toSeconds()));
    }

    private boolean isMqtt5() {
        return endpoint.protocolVersion() == 5;
    }

    private void accept(Principal authenticated) {
        this.principal = authenticated;
        MqttSession previous = ctx.broker().session(clientId);
        if (previous != null && previous.isOnline()) {
            // MQTT 5 section 3.1.4: a second connection with the same client id takes the session over.
            MqttEndpoint old = previous.endpoint();
            previous.detach();
            if (old.protocolVersion() == 5 && old.isConnected()) {
                old.disconnect(MqttDisconnectReasonCode.SESSION_TAKEN_OVER, MqttProperties.NO_PROPERTIES);
            }
            if (old.isConnected()) {
                old.close();
            }
        }
        Broker.SessionOpening opening = ctx.broker().open(clientId, principal, endpoint.isCleanSession());
        session = opening.session();
        flow = new PublisherFlow(gate, session, ctx.metrics());
        ConnectNegotiation negotiated = ConnectNegotiation.of(endpoint, ctx.config());
        endpoint.publishHandler(this::onPublish);
        endpoint.publishReleaseHandler(this::onPubrel);
        endpoint.publishAcknowledgeHandler(id -> session.onPuback(id));
        endpoint.publishReceivedHandler(id -> session.onPubrec(id, false));
        endpoint.publishCompletionHandler(id -> session.onPubcomp(id));
        SubscriptionHandler subscriptions = new SubscriptionHandler(endpoint, session, ctx);
        endpoint.subscribeHandler(subscriptions::onSubscribe);
        endpoint.unsubscribeHandler(subscriptions::onUnsubscribe);
        ServerKeepAlive keepAlive = ServerKeepAlive.of(endpoint, ctx.config());
        MqttProperties connack = withAssignedClientId(negotiated.connack(endpoint, ctx.config()));
        endpoint.accept(opening.present(), isMqtt5() ? keepAlive.addTo(connack) : connack);
        keepAlive.enforce(endpoint);
        ctx.metrics().connections.incrementAndGet();
        session.awaitingRelease().values().removeIf(acked -> !acked);
        session.attach(endpoint, flow, negotiated.window(), negotiated.maxPacket(), negotiated.sessionExpirySeconds());
        ctx.broker().attached(session);
        if (!principal.isAnonymous()) {
            ctx.presence().accept(principal.deviceId(), true);
        }
        // Packets sent right after CONNECT were held until now (MqttFrameAssembler, MQTT section 3.1.4).
        gate.resume();
    }

    /** MQTT 5 section 3.2.2.3.7: the client learns the id the broker assigned for its empty one. */
    private MqttProperties withAssignedClientId(MqttProperties connack) {
        if (assignedClientId && isMqtt5()) {
            connack.add(
                    new MqttProperties.StringProperty(MqttPropertyType.ASSIGNED_CLIENT_IDENTIFIER.value(), clientId));
        }
        return connack;
    }

    private void onPublish(MqttPublishMessage msg) {
        ctx.metrics().received();
        int qos = msg.qosLevel().value();
        int id = msg.messageId();
        String topic = resolveTopic(msg);
        if (topic == null) {
            return;
        }
        if (qos == 2 && session.awaitingRelease().containsKey(id)) {
            // A resent QoS 2 publish: never deliver twice; repeat PUBREC once it was sent.
            if (session.awaitingRelease().get(id)) {
                endpoint.publishReceived(id);
            }
            return;
        }
        if (qos > 0 && isMqtt5() && session.inboundAcks().size() >= ctx.config().maxInflight()) {
            ctx.metrics().inflightExceeded();
            disconnect(MqttDisconnectReasonCode.RECEIVE_MAXIMUM_EXCEEDED);
            return;
        }
        InboundAcks.Pending ack = qos > 0 ? session.inboundAcks().expect() : null;
        byte[] payload = msg.payload().getBytes();
        CompletableFuture<Boolean> earlier =
                qos == 1 && msg.isDup() ? session.redeliveries().earlierCopy(id, topic, payload) : null;
        if (earlier != null) {
            // Issue 14 item 6: the resend of a publish this session took in; acknowledge it once that one is
            // stored instead of storing it again (a reading without ts would get a second server timestamp).
            ctx.metrics().redeliveryDropped();
            earlier.thenAccept(stored -> {
                if (stored) {
                    acknowledge(ack, qos, id, null);
                } else {
                    process(msg, topic, payload, ack);
                }
            });
            return;
        }
        process(msg, topic, payload, ack);
    }

    private void process(MqttPublishMessage msg, String topic, byte[] payload, InboundAcks.Pending ack) {
        int qos = msg.qosLevel().value();
        int id = msg.messageId();
        if (qos == 1) {
            session.redeliveries().took(id, topic, payload, ctx.config().maxInflight());
        }
        if (topic.startsWith("$")) {
            refuseReservedTopic(qos, id, ack, topic);
            return;
        }
        if (!ctx.policy().mayPublish(principal, topic)) {
            ctx.metrics().deniedPublish();
            acknowledge(ack, qos, id, new GatewayException(ErrorKind.FORBIDDEN, "Not authorized for " + topic));
            return;
        }
        String owner = principal.isAnonymous() ? session.clientId() : principal.deviceId();
        boolean retain = msg.isRetain();
        if (retain && !ctx.broker().mayRetain(topic, payload.length, owner)) {
            // Issue 15 item 7: MQTT 5 refuses it with 0x97; MQTT 3.1.1 has no negative PUBACK (and QoS 0 no
            // acknowledgement at all), so the message is routed without being retained.
            if (isMqtt5() && qos > 0) {
                acknowledge(
                        ack,
                        qos,
                        id,
                        new GatewayException(ErrorKind.QUOTA_EXCEEDED, "Retained message quota exceeded"));
                return;
            }
            retain = false;
        }
        BrokerMessage message = new BrokerMessage(
                topic,
                payload,
                qos,
                retain,
                ForwardedProperties.of(msg.properties(), isMqtt5()),
                ConnectNegotiation.messageExpiry(
                        msg.properties(), ctx.broker().clock().millis()),
                session.clientId());
        if (qos == 2) {
            session.awaitingRelease().put(id, false);
        }
        ctx.router().route(principal, message).onComplete(ar -> {
            if (ar.succeeded()) {
                CompletableFuture<Void> stored = ctx.broker().publish(message, flow, owner);
                if (stored.isDone()) {
                    acknowledge(ack, qos, id, storeFailure(stored));
                } else {
                    // A retained message is acknowledged once stored, so that it survives kill -9.
                    stored.whenComplete(
                            (v, e) -> ctx.broker().execute(() -> acknowledge(ack, qos, id, storeFailure(stored))));
                }
            } else {
                acknowledge(
                        ack,
                        qos,
                        id,
                        ar.cause() instanceof GatewayException g
                                ? g
                                : new GatewayException(ErrorKind.INTERNAL, "Internal error", ar.cause()));
            }
        });
    }

    /**
     * MQTT 5 section 4.7.2: topics starting with '$' are the server's ($SYS/...); a client may not publish to them.
     * MQTT 5: PUBACK/PUBREC 0x90 "topic name invalid", DISCONNECT 0x90 for QoS 0 (no acknowledgement to carry
     * it); MQTT 3.1.1 has no negative acknowledgement, so the connection closes.
     */
    private void refuseReservedTopic(int qos, int id, InboundAcks.Pending ack, String topic) {
        ctx.metrics().deniedPublish();
        if (isMqtt5() && qos > 0) {
            acknowledge(ack, qos, id, new GatewayException(ErrorKind.NOT_FOUND, "Topic " + topic + " is reserved"));
        } else {
            disconnect(MqttDisconnectReasonCode.TOPIC_NAME_INVALID);
        }
    }

    private static GatewayException storeFailure(CompletableFuture<Void> stored) {
        return stored.isCompletedExceptionally()
                ? new GatewayException(ErrorKind.UNAVAILABLE, "Retained message not stored, try again")
                : null;
    }

    private String resolveTopic(MqttPublishMessage msg) {
        String topic = msg.topicName();
        MqttProperties.MqttProperty<?> alias =
                isMqtt5() ? msg.properties().getProperty(MqttPropertyType.TOPIC_ALIAS.value()) : null;
        if (alias != null) {
            int a = (Integer) alias.value();
            if (a == 0 || a > ctx.config().topicAliasMaximum()) {
                disconnect(MqttDisconnectReasonCode.TOPIC_ALIAS_INVALID);
                return null;
            }
            if (topic == null || topic.isEmpty()) {
                topic = session.topicAliases().get(a);
            } else {
                session.topicAliases().put(a, topic);
            }
        }
        if (!TopicFilters.isValidTopicName(topic)) {
            disconnect(
                    alias != null
                            ? MqttDisconnectReasonCode.TOPIC_ALIAS_INVALID
                            : MqttDisconnectReasonCode.TOPIC_NAME_INVALID);
            return null;
        }
        return topic;
    }

    /** Sends PUBACK/PUBREC (in arrival order) for success or failure; the one place failures become codes. */
    private void acknowledge(InboundAcks.Pending ack, int qos, int id, GatewayException failure) {
        if (qos == 0) {
            return;
        }
        boolean mqtt5 = isMqtt5();
        boolean accepted = failure == null
                || (!mqtt5 && (failure.kind() == ErrorKind.BAD_REQUEST || failure.kind() == ErrorKind.FORBIDDEN));
        if (qos == 1) {
            session.redeliveries().settled(id, accepted);
        }
        if (qos == 2) {
            if (accepted) {
                session.awaitingRelease().put(id, true);
            } else {
                session.awaitingRelease().remove(id);
            }
        }
        session.inboundAcks().ready(ack, () -> {
            if (failure == null || (accepted && !mqtt5)) {
                // MQTT 3.1.1 has no negative acknowledgement; a refused message is acknowledged and dropped.
                if (qos == 1) {
                    endpoint.publishAcknowledge(id);
                } else {
                    endpoint.publishReceived(id);
                }
            } else if (mqtt5) {
                MqttProperties reason =
                        problemInformationWanted() ? reasonString(failure.getMessage()) : MqttProperties.NO_PROPERTIES;
                if (qos == 1) {
                    endpoint.publishAcknowledge(id, MqttReasonCodes.puback(failure.kind()), reason);
                } else {
                    endpoint.publishReceived(id, MqttReasonCodes.pubrec(failure.kind()), reason);
                }
            } else {
                // Transient failure on 3.1.1: close so that the client resends after reconnecting.
                closeQuietly();
            }
        });
    }

    /**
     * MQTT 5 section 3.1.2.11.7: with Request Problem Information 0 the client gets no Reason String on
     * acknowledgements (only on CONNACK and DISCONNECT).
     */
    private boolean problemInformationWanted() {
        return ConnectNegotiation.intProperty(
                        endpoint.connectProperties(), MqttPropertyType.REQUEST_PROBLEM_INFORMATION, 1)
                != 0;
    }

    static MqttProperties reasonString(String text) {
        MqttProperties p = new MqttProperties();
        p.add(new MqttProperties.StringProperty(MqttPropertyType.REASON_STRING.value(), text));
        return p;
    }

    private void onPubrel(int id) {
        session.awaitingRelease().remove(id);
        endpoint.publishComplete(id);
    }

    private void disconnect(MqttDisconnectReasonCode code) {
        ctx.metrics().protocolError();
        if (isMqtt5() && endpoint.isConnected()) {
            endpoint.disconnect(code, MqttProperties.NO_PROPERTIES);
        }
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            endpoint.close();
        } catch (IllegalStateException alreadyClosed) {
            // Closed by the peer meanwhile; nothing left to do.
        }
    }

    /**
     * Vert.x may close a not yet accepted endpoint itself (a protocol error while CONNECT is being checked) without
     * calling the close handler, so {@code closed} does not tell; its reject then throws once the CONNACK is written.
     */
    private void rejectQuietly(MqttConnectReturnCode code) {
        try {
            endpoint.reject(code);
        } catch (IllegalStateException alreadyClosed) {
            // Closed meanwhile: the refusal has nobody left to tell.
        }
    }

    private void onClosed() {
        if (closed) {
            return;
        }
        closed = true;
        onClose.run();
        if (session == null) {
            return;
        }
        ctx.metrics().connections.decrementAndGet();
        flow.release();
        boolean current = session.endpoint() == endpoint;
        if (!principal.isAnonymous()) {
            ctx.presence().accept(principal.deviceId(), false);
        }
        if (current) {
            MqttWill will = graceful ? null : endpoint.will();
            boolean send = will != null
                    && will.isWillFlag()
                    && TopicFilters.isValidTopicName(will.getWillTopic())
                    && ctx.policy().mayPublish(principal, will.getWillTopic());
            MqttProperties props =
                    !send || will.getWillProperties() == null ? MqttProperties.NO_PROPERTIES : will.getWillProperties();
            long delay = isMqtt5()
                    ? Integer.toUnsignedLong(
                            ConnectNegotiation.intProperty(props, MqttPropertyType.WILL_DELAY_INTERVAL, 0))
                    : 0;
            ctx.broker().closed(session, send ? () -> willMessage(will, props) : null, delay);
        }
    }

    /** Built when the will is sent, so that its message expiry runs from then. */
    private BrokerMessage willMessage(MqttWill will, MqttProperties props) {
        return new BrokerMessage(
                will.getWillTopic(),
                will.getWillMessageBytes(),
                will.getWillQos(),
                will.isWillRetain(),
                ForwardedProperties.of(props, isMqtt5()),
                ConnectNegotiation.messageExpiry(props, ctx.broker().clock().millis()),
                session.clientId());
    }
}

package dev.mecgw.app.mqtt;

import dev.mecgw.app.acl.TopicFilters;
import dev.mecgw.app.mqtt.persistence.Subscription;
import dev.mecgw.app.mqtt.session.Broker;
import dev.mecgw.app.mqtt.session.MqttSession;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttTopicSubscription;
import io.vertx.mqtt.messages.MqttSubscribeMessage;
import io.vertx.mqtt.messages.MqttUnsubscribeMessage;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.mqtt.messages.codes.MqttSubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttUnsubAckReasonCode;
import java.util.ArrayList;
import java.util.List;

/** SUBSCRIBE and UNSUBSCRIBE of one connection: filter syntax, ACL, per-client limit, retained delivery. */
class SubscriptionHandler {

    private final MqttEndpoint endpoint;
    private final MqttSession session;
    private final BrokerContext ctx;

    SubscriptionHandler(MqttEndpoint endpoint, MqttSession session, BrokerContext ctx) {
        this.endpoint = endpoint;
        this.session = session;
        this.ctx = ctx;
    }

    void onSubscribe(MqttSubscribeMessage msg) {
        boolean mqtt5 = endpoint.protocolVersion() == 5;
        if (mqtt5 && hasZeroSubscriptionId(msg)) {
            // MQTT 5 section 3.8.2.1.2: a Subscription Identifier of 0 is a protocol error.
            ctx.metrics().protocolError();
            endpoint.disconnect(MqttDisconnectReasonCode.PROTOCOL_ERROR, MqttProperties.NO_PROPERTIES);
            if (endpoint.isConnected()) {
                endpoint.close();
            }
            return;
        }
        List<MqttSubAckReasonCode> codes = new ArrayList<>();
        List<Runnable> retained = new ArrayList<>();
        for (MqttTopicSubscription requested : msg.topicSubscriptions()) {
            try {
                Subscription s = subscription(requested, subscriptionId(msg));
                boolean existed = ctx.broker().subscribe(session, s);
                int handling = requested.subscriptionOption() == null
                        ? 0
                        : requested.subscriptionOption().retainHandling().value();
                retained.add(() -> ctx.broker().sendRetained(session, s, handling, existed));
                codes.add(MqttSubAckReasonCode.qosGranted(MqttQoS.valueOf(s.qos())));
            } catch (GatewayException e) {
                if (e.kind() == ErrorKind.QUOTA_EXCEEDED) {
                    ctx.metrics().refusedSubscription();
                }
                codes.add(MqttReasonCodes.suback(e.kind(), mqtt5));
            }
        }
        if (mqtt5) {
            endpoint.subscribeAcknowledge(msg.messageId(), codes, MqttProperties.NO_PROPERTIES);
        } else {
            endpoint.subscribeAcknowledge(
                    msg.messageId(),
                    codes.stream()
                            .map(c -> c.isError() ? MqttQoS.FAILURE : MqttQoS.valueOf(c.value()))
                            .toList());
        }
        // Retained messages follow the SUBACK, as clients expect.
        retained.forEach(Runnable::run);
    }

    private static boolean hasZeroSubscriptionId(MqttSubscribeMessage msg) {
        MqttProperties.MqttProperty<?> id = msg.properties() == null
                ? null
                : msg.properties().getProperty(MqttProperties.MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value());
        return id != null && (Integer) id.value() == 0;
    }

    /** MQTT 5 section 3.8.2.1.2: the SUBSCRIBE's Subscription Identifier, 0 when it carries none. */
    private int subscriptionId(MqttSubscribeMessage msg) {
        MqttProperties.MqttProperty<?> id = endpoint.protocolVersion() == 5 && msg.properties() != null
                ? msg.properties().getProperty(MqttProperties.MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value())
                : null;
        return id == null ? 0 : (Integer) id.value();
    }

    private Subscription subscription(MqttTopicSubscription requested, int subscriptionId) {
        String filter = requested.topicName();
        String group = null;
        if (filter.startsWith("$share/")) {
            int slash = filter.indexOf('/', 7);
            if (slash < 0 || slash == 7) {
                throw GatewayException.badField("topicFilter", "shared subscription needs $share/{group}/{filter}");
            }
            group = filter.substring(7, slash);
            filter = filter.substring(slash + 1);
            if (group.contains("+") || group.contains("#")) {
                throw GatewayException.badField("topicFilter", "share name must not contain wildcards");
            }
        }
        TopicFilters.validateFilter(filter);
        if (!ctx.policy().maySubscribe(session.principal(), filter)) {
            throw new GatewayException(ErrorKind.FORBIDDEN, "Not authorized for " + filter);
        }
        if (session.subscriptions().size() >= ctx.config().maxSubscriptionsPerClient()
                && !session.subscriptions().containsKey(Broker.key(group, filter))) {
            throw new GatewayException(ErrorKind.QUOTA_EXCEEDED, "Too many subscriptions");
        }
        MqttSubscriptionOption option = requested.subscriptionOption();
        boolean noLocal = option != null && option.isNoLocal();
        boolean rap = option != null && option.isRetainAsPublished();
        boolean hide = session.principal().isAnonymous() && (filter.startsWith("+") || filter.startsWith("#"));
        return new Subscription(
                session.clientId(),
                filter,
                group,
                requested.qualityOfService().value(),
                noLocal,
                rap,
                hide,
                subscriptionId);
    }

    void onUnsubscribe(MqttUnsubscribeMessage msg) {
        List<MqttUnsubAckReasonCode> codes = new ArrayList<>();
        for (String topic : msg.topics()) {
            String group = null;
            String filter = topic;
            if (topic.startsWith("$share/") && topic.indexOf('/', 7) > 7) {
                group = topic.substring(7, topic.indexOf('/', 7));
                filter = topic.substring(topic.indexOf('/', 7) + 1);
            }
            codes.add(
                    ctx.broker().unsubscribe(session, group, filter)
                            ? MqttUnsubAckReasonCode.SUCCESS
                            : MqttUnsubAckReasonCode.NO_SUBSCRIPTION_EXISTED);
        }
        if (endpoint.protocolVersion() == 5) {
            endpoint.unsubscribeAcknowledge(msg.messageId(), codes, MqttProperties.NO_PROPERTIES);
        } else {
            endpoint.unsubscribeAcknowledge(msg.messageId());
        }
    }
}

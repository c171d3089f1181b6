package dev.mecgw.app.mqtt;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageFactory;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import org.jboss.logging.Logger;

/**
 * Answers an invalid client DISCONNECT with DISCONNECT 0x82 "protocol error" (MQTT 5 section 3.14.2.2.2). Vert.x
 * closes the connection right after its DISCONNECT handler, and its own disconnect would close it first, so the
 * packet goes straight into the pipeline, ahead of that close. Also sends the DISCONNECT that ends a connection
 * before Vert.x's decoder sees the offending packet (0x95 "packet too large").
 */
final class ProtocolErrorDisconnect {

    private static final Logger LOG = Logger.getLogger(ProtocolErrorDisconnect.class);

    private ProtocolErrorDisconnect() {}

    static void send(MqttEndpoint endpoint) {
        send(endpoint, MqttDisconnectReasonCode.PROTOCOL_ERROR, false);
    }

    /** Sends DISCONNECT with {@code code}; closes the connection once it is written when {@code thenClose}. */
    static void send(MqttEndpoint endpoint, MqttDisconnectReasonCode code, boolean thenClose) {
        try {
            ChannelFuture written = EndpointPipeline.of(endpoint)
                    .writeAndFlush(MqttMessageFactory.newMessage(
                            new MqttFixedHeader(MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0),
                            new MqttReasonCodeAndPropertiesVariableHeader(code.value(), MqttProperties.NO_PROPERTIES),
                            null));
            if (thenClose) {
                written.addListener(ChannelFutureListener.CLOSE);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debugf("DISCONNECT %s not sent to %s: %s", code, endpoint.clientIdentifier(), e);
        }
    }
}

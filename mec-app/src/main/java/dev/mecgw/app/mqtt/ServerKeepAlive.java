package dev.mecgw.app.mqtt;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.mqtt.MqttEndpoint;
import org.jboss.logging.Logger;

/**
 * MQTT 5 Server Keep Alive (section 3.2.2.3.14): an MQTT 5 client asking for a keep-alive above
 * {@code mecgw.mqtt.max-keep-alive}, or for none (0), is told the maximum in CONNACK and held to it: the connection
 * closes after one and a half times that without a packet (section 3.1.2.10). MQTT 3.1.1 cannot tell a client
 * another value, so a 3.1.1 client keeps the one it asked for.
 */
final class ServerKeepAlive {

    private static final Logger LOG = Logger.getLogger(ServerKeepAlive.class);
    /** Vert.x's names for its keep-alive handlers, replaced here. */
    private static final String IDLE = "idle";

    private static final String CLOSER = "keepAliveHandler";

    private final int askedSeconds;
    private final int seconds;

    private ServerKeepAlive(int askedSeconds, int seconds) {
        this.askedSeconds = askedSeconds;
        this.seconds = seconds;
    }

    /** What the CONNECT asked for, settled against the configured maximum. */
    static ServerKeepAlive of(MqttEndpoint endpoint, MqttConfig config) {
        int asked = endpoint.keepAliveTimeSeconds();
        // The property is two bytes: whole seconds 1..65535.
        int max = (int) Math.max(1, Math.min(65_535, config.maxKeepAlive().toSeconds()));
        boolean capped = endpoint.protocolVersion() == 5 && (asked == 0 || asked > max);
        return new ServerKeepAlive(asked, capped ? max : asked);
    }

    /** The keep-alive the client is held to, in seconds; 0 = none. */
    int seconds() {
        return seconds;
    }

    /** Adds Server Keep Alive to an MQTT 5 CONNACK when it differs from what the client asked for. */
    MqttProperties addTo(MqttProperties connack) {
        if (seconds != askedSeconds) {
            connack.add(new IntegerProperty(MqttPropertyType.SERVER_KEEP_ALIVE.value(), seconds));
        }
        return connack;
    }

    /** Replaces Vert.x's idle timeout (built from the client's value) with the negotiated one. */
    void enforce(MqttEndpoint endpoint) {
        if (seconds == askedSeconds) {
            return;
        }
        try {
            ChannelPipeline pipeline = EndpointPipeline.of(endpoint);
            IdleStateHandler idle = new IdleStateHandler((int) Math.ceil(seconds * 1.5), 0, 0);
            if (pipeline.get(IDLE) != null) {
                pipeline.replace(IDLE, IDLE, idle);
            } else {
                pipeline.addBefore("handler", IDLE, idle);
            }
            if (pipeline.get(CLOSER) == null) {
                pipeline.addAfter(IDLE, CLOSER, new Closer());
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf("Server keep-alive not enforced for %s: %s", endpoint.clientIdentifier(), e);
        }
    }

    /** Closes the connection once no packet arrived within the timeout. */
    private static final class Closer extends ChannelDuplexHandler {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof IdleStateEvent e && e.state() == IdleState.READER_IDLE) {
                ctx.close();
            } else {
                super.userEventTriggered(ctx, evt);
            }
        }
    }
}

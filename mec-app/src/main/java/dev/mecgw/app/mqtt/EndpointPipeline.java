package dev.mecgw.app.mqtt;

import io.netty.channel.ChannelPipeline;
import io.vertx.core.net.impl.NetSocketInternal;
import io.vertx.mqtt.MqttEndpoint;
import java.lang.reflect.Field;

/** The Netty pipeline behind a Vert.x MQTT endpoint, which Vert.x exposes no hook for. */
final class EndpointPipeline {

    private EndpointPipeline() {}

    /** @throws ReflectiveOperationException when this Vert.x version hides the connection differently */
    static ChannelPipeline of(MqttEndpoint endpoint) throws ReflectiveOperationException {
        Field conn = endpoint.getClass().getDeclaredField("conn");
        conn.setAccessible(true);
        return ((NetSocketInternal) conn.get(endpoint)).channelHandlerContext().pipeline();
    }
}

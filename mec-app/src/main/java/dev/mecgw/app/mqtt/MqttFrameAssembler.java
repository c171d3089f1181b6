package dev.mecgw.app.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.vertx.core.net.impl.NetSocketInternal;
import io.vertx.mqtt.MqttEndpoint;
import java.lang.reflect.Field;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Hands Netty's MqttDecoder only whole MQTT packets. Works around a Netty 4.1.133 MqttDecoder bug: when a
 * packet's variable header is split across TCP reads, the decoder's size guard reads the replaying
 * buffer's bogus readable-bytes count and closes the connection with "message length exceeds". Under
 * load that happens every few thousand packets. Frames longer than the limit are passed through
 * unassembled so the decoder still rejects them. Remove once the decoder is fixed upstream.
 */
final class MqttFrameAssembler extends ByteToMessageDecoder {

    private static final Logger LOG = Logger.getLogger(MqttFrameAssembler.class);
    private static final String NAME = "mecgwFrameAssembler";
    private static volatile boolean unavailableLogged;

    private final int maxPacketSize;

    private MqttFrameAssembler(int maxPacketSize) {
        this.maxPacketSize = maxPacketSize;
    }

    /** Inserts the assembler in front of the endpoint's decoder (Vert.x exposes no pipeline hook). */
    static void install(MqttEndpoint endpoint, int maxPacketSize) {
        try {
            Field conn = endpoint.getClass().getDeclaredField("conn");
            conn.setAccessible(true);
            ChannelPipeline pipeline = ((NetSocketInternal) conn.get(endpoint)).channelHandlerContext().pipeline();
            if (pipeline.get("mqttDecoder") != null && pipeline.get(NAME) == null) {
                pipeline.addBefore("mqttDecoder", NAME, new MqttFrameAssembler(maxPacketSize));
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (!unavailableLogged) {
                unavailableLogged = true;
                LOG.warnf("MQTT frame assembler not installed (split packets may close connections): %s", e);
            }
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= 2) {
            int start = in.readerIndex();
            int readable = in.readableBytes();
            int length = 0;
            int multiplier = 1;
            int lengthBytes = 0;
            boolean complete = false;
            while (lengthBytes < 4 && 1 + lengthBytes < readable) {
                int digit = in.getUnsignedByte(start + 1 + lengthBytes);
                lengthBytes++;
                length += (digit & 127) * multiplier;
                multiplier *= 128;
                if ((digit & 128) == 0) {
                    complete = true;
                    break;
                }
            }
            if (!complete && lengthBytes < 4) {
                return;
            }
            if (!complete || length > maxPacketSize) {
                // Malformed or oversized: let the decoder see it and fail the connection.
                out.add(in.readRetainedSlice(readable));
                return;
            }
            int frame = 1 + lengthBytes + length;
            if (readable < frame) {
                return;
            }
            out.add(in.readRetainedSlice(frame));
        }
    }
}

package dev.mecgw.app.mqtt;

import dev.mecgw.app.mqtt.session.BrokerMetrics;
import dev.mecgw.app.mqtt.session.InboundGate;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import java.lang.reflect.Method;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Hands Netty's MqttDecoder only whole MQTT packets, one at a time, and is the connection's
 * {@link InboundGate}: while paused it holds the packets back and stops reading the socket.
 *
 * <p>Whole packets work around a Netty 4.1.133 MqttDecoder bug: when a packet's variable header is split
 * across TCP reads, the decoder's size guard reads the replaying buffer's bogus readable-bytes count and
 * closes the connection with "message length exceeds". Under load that happens every few thousand packets.
 * A packet over the limit ends an MQTT 5 connection with DISCONNECT 0x95 (the limit counts the whole packet, as
 * MQTT 5 section 3.1.2.11.4 does); on MQTT 3.1.1 it is passed through unassembled so the decoder rejects it.
 */
final class MqttFrameAssembler extends ByteToMessageDecoder implements InboundGate {

    private static final Logger LOG = Logger.getLogger(MqttFrameAssembler.class);
    private static final String NAME = "mecgwFrameAssembler";
    /** Most writes to one connection that share one flush (a syscall) when it is not reading. */
    private static final int FLUSH_AFTER_WRITES = 256;

    private static volatile boolean unavailableLogged;

    private final int maxPacketSize;
    /** Ends an MQTT 5 connection with DISCONNECT 0x95; null for 3.1.1, which the decoder's failure closes. */
    private final Runnable packetTooLarge;

    private ChannelHandlerContext context;
    private boolean paused;
    /** After a packet too large: the rest of the input is dropped while the DISCONNECT goes out. */
    private boolean discarding;

    private MqttFrameAssembler(int maxPacketSize, Runnable packetTooLarge) {
        this.maxPacketSize = maxPacketSize;
        this.packetTooLarge = packetTooLarge;
    }

    /**
     * Inserts the assembler in front of the endpoint's decoder (Vert.x exposes no pipeline hook), and a
     * flush consolidator: Vert.x flushes every write made outside the connection's own read, so each
     * message relayed to a subscriber cost one syscall, which made a busy subscriber the bottleneck.
     *
     * @return the connection's gate; {@link InboundGate#OPEN} when the pipeline is not reachable
     */
    static InboundGate install(MqttEndpoint endpoint, int maxPacketSize, BrokerMetrics metrics) {
        try {
            ChannelPipeline pipeline = EndpointPipeline.of(endpoint);
            if (pipeline.get("mqttDecoder") != null && pipeline.get(NAME) == null) {
                MqttFrameAssembler assembler = new MqttFrameAssembler(
                        maxPacketSize,
                        endpoint.protocolVersion() == 5
                                ? () -> {
                                    metrics.packetTooLarge();
                                    ProtocolErrorDisconnect.send(
                                            endpoint, MqttDisconnectReasonCode.PACKET_TOO_LARGE, true);
                                }
                                : null);
                pipeline.addBefore("mqttDecoder", NAME, assembler);
                pipeline.addBefore(
                        NAME, "mecgwFlushConsolidation", new FlushConsolidationHandler(FLUSH_AFTER_WRITES, true));
                // MQTT 3.1.1 and 5 section 3.1.4: a client may send packets right after CONNECT, but Vert.x closes
                // a connection that sends any before it is accepted. They wait here until MqttConnection accepts.
                assembler.pause();
                assembler.holdRestOf(pipeline.get("mqttDecoder"));
                return assembler;
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (!unavailableLogged) {
                unavailableLogged = true;
                LOG.warnf("MQTT frame assembler not installed (split packets may close connections): %s", e);
            }
        }
        return InboundGate.OPEN;
    }

    /**
     * Takes over the bytes after CONNECT that arrived in the same read: this runs while the decoder hands the
     * CONNECT on, and it would decode the next packet from them before this assembler sees any.
     */
    private void holdRestOf(ChannelHandler decoder) {
        ByteBuf rest;
        try {
            rest = (ByteBuf) DecoderBuffer.METHOD.invoke(decoder);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // Still held from the next read on; only bytes in the CONNECT's own read can reach Vert.x early.
            if (!unavailableLogged) {
                unavailableLogged = true;
                LOG.warnf("MQTT decoder buffer not reachable (packets right after CONNECT may close it): %s", e);
            }
            return;
        }
        if (!rest.isReadable()) {
            return;
        }
        ByteBuf held = rest.copy();
        // Truncated, not read: the (replaying) decoder rewinds its reader index to its checkpoint afterwards.
        rest.writerIndex(rest.readerIndex());
        try {
            channelRead(context, held);
        } catch (Exception e) {
            context.fireExceptionCaught(e);
        }
    }

    /** Looked up once, on the first connection, not per CONNECT; a failure surfaces where it is used. */
    private static final class DecoderBuffer {
        static final Method METHOD = find();

        private static Method find() {
            try {
                Method method = ByteToMessageDecoder.class.getDeclaredMethod("internalBuffer");
                method.setAccessible(true);
                return method;
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalStateException("ByteToMessageDecoder.internalBuffer not reachable", e);
            }
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        this.context = ctx;
        super.handlerAdded(ctx);
    }

    @Override
    public void pause() {
        if (!paused && context != null) {
            paused = true;
            context.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void resume() {
        if (!paused || context == null) {
            return;
        }
        // A separate task, so that held packets are never handed on from inside another packet's handler.
        context.executor().execute(() -> {
            if (!paused || context.isRemoved()) {
                return;
            }
            paused = false;
            context.channel().config().setAutoRead(true);
            try {
                // Decodes what was held back, then lets Vert.x end the read (and flush) as after a socket read.
                channelRead(context, Unpooled.EMPTY_BUFFER);
                channelReadComplete(context);
            } catch (Exception e) {
                context.fireExceptionCaught(e);
            }
        });
    }

    @Override
    public boolean outboundFull() {
        return context != null && !context.channel().isWritable();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        if (paused) {
            // The decoder would otherwise ask for another read when nothing was handed on.
            discardSomeReadBytes();
            ctx.fireChannelReadComplete();
            return;
        }
        super.channelReadComplete(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (discarding) {
            in.skipBytes(in.readableBytes());
            return;
        }
        // One packet per call: the decoder hands each on before asking for the next, so a pause takes effect
        // at the next packet.
        if (!paused && in.readableBytes() >= 2) {
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
            if (complete && 1 + lengthBytes + length > maxPacketSize && packetTooLarge != null) {
                // MQTT 5 section 3.2.2.3.6 (the CONNACK's Maximum Packet Size): DISCONNECT 0x95, then close.
                discarding = true;
                in.skipBytes(readable);
                packetTooLarge.run();
                return;
            }
            if (!complete || length > maxPacketSize) {
                // Malformed, or oversized on MQTT 3.1.1: let the decoder see it and fail the connection.
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

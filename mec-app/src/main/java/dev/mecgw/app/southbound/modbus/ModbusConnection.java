package dev.mecgw.app.southbound.modbus;

import com.digitalpetri.modbus.client.ModbusTcpClient;
import com.digitalpetri.modbus.tcp.client.NettyTcpClientTransport;
import io.netty.channel.EventLoopGroup;
import java.util.concurrent.CompletableFuture;

/**
 * The TCP connection to one PLC, on the protocol's shared event loops. Connects on demand (the first poll after a
 * start or a failure) and never reconnects on its own, so that reconnects follow the client's backoff. Thread-safe.
 */
final class ModbusConnection {

    private final NettyTcpClientTransport transport;
    private final ModbusTcpClient client;
    private CompletableFuture<Void> connecting;

    ModbusConnection(ModbusSettings settings, EventLoopGroup loops) {
        this.transport = NettyTcpClientTransport.create(config -> config.setHostname(settings.host())
                .setPort(settings.port())
                .setConnectTimeout(settings.timeout())
                .setConnectPersistent(false)
                .setReconnectLazy(true)
                .setEventLoopGroup(loops));
        this.client = ModbusTcpClient.create(transport, config -> config.setRequestTimeout(settings.timeout()));
    }

    ModbusTcpClient client() {
        return client;
    }

    /** @return completes once connected: at once when already, else after one connect attempt */
    synchronized CompletableFuture<Void> connected() {
        if (connecting != null && !connecting.isCompletedExceptionally() && transport.isConnected()) {
            return connecting;
        }
        if (connecting == null || connecting.isDone()) {
            connecting = client.connectAsync().toCompletableFuture();
        }
        return connecting;
    }

    /** Drops the connection after a failure; the next {@link #connected()} opens a fresh one. */
    synchronized void drop() {
        connecting = null;
        client.disconnectAsync();
    }

    synchronized void close() {
        connecting = null;
        client.disconnectAsync();
    }
}

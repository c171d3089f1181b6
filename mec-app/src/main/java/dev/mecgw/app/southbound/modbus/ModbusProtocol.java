package dev.mecgw.app.southbound.modbus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.registry.ConnectionPolicy.CheckedConnection;
import dev.mecgw.app.southbound.SouthboundClient;
import dev.mecgw.app.southbound.SouthboundDevice;
import dev.mecgw.app.southbound.SouthboundLink;
import dev.mecgw.app.southbound.SouthboundProtocol;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Modbus TCP (issue 21 item 1): devices of type {@code modbus} are PLCs the gateway polls by their register map
 * (docs/southbound.md), with the {@code write} command for coils and holding registers. The entry of the
 * {@code southbound.modbus} area; its connections share a small set of Netty event loops.
 */
public final class ModbusProtocol implements SouthboundProtocol {

    /** The device type. */
    public static final String TYPE = "modbus";

    private final EventLoopGroup loops;
    private final ObjectMapper json;

    /**
     * @param config event-loop threads
     * @param json parses command arguments
     */
    public ModbusProtocol(ModbusConfig config, ObjectMapper json) {
        this.loops = new NioEventLoopGroup(config.ioThreads(), new DefaultThreadFactory("mecgw-modbus", true));
        this.json = json;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public CheckedConnection check(JsonNode connection) {
        ModbusSettings.read(connection);
        return new CheckedConnection(connection.deepCopy(), Map.of());
    }

    @Override
    public SouthboundClient open(SouthboundDevice device, SouthboundLink link) {
        ModbusSettings settings = ModbusSettings.read(device.settings());
        return new ModbusPlcClient(settings, link, new ModbusConnection(settings, loops), json);
    }

    @Override
    public void close() {
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }
}

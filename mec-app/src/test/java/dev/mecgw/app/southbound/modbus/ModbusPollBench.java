package dev.mecgw.app.southbound.modbus;

import com.digitalpetri.modbus.server.ModbusTcpServer;
import com.digitalpetri.modbus.server.ProcessImage;
import com.digitalpetri.modbus.server.ReadWriteModbusServices;
import com.digitalpetri.modbus.tcp.server.NettyTcpServerTransport;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.OperatingSystemMXBean;
import dev.mecgw.app.southbound.SouthboundClient;
import dev.mecgw.app.southbound.SouthboundDevice;
import io.netty.channel.nio.NioEventLoopGroup;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * bench/southbound (Modbus part, issue 21 item 6): PLCS simulated PLCs (the library's server, one port each) × 50
 * holding registers polled every second by the gateway's Modbus client; prints readings/s handed to ingest and the
 * process CPU (the simulators share the process, so CPU is an upper bound for the client). Not a test: run by name
 * through bench/southbound/run.sh.
 */
class ModbusPollBench {

    @Test
    void pollManyPlcs() throws Exception {
        int plcs = Integer.getInteger("bench.plcs", 200);
        int registers = Integer.getInteger("bench.registers", 50);
        int seconds = Integer.getInteger("bench.seconds", 30);
        ObjectMapper json = new ObjectMapper();
        NioEventLoopGroup serverLoops = new NioEventLoopGroup(1);
        List<ModbusTcpServer> servers = new ArrayList<>();
        List<SouthboundClient> clients = new ArrayList<>();
        ModbusProtocol protocol = new ModbusProtocol(() -> 2, json);
        RecordingLink link = new RecordingLink("bench");
        try {
            ProcessImage image = new ProcessImage();
            image.with(tx -> tx.writeHoldingRegisters(map -> {
                for (int r = 0; r < registers; r++) {
                    map.put(r, new byte[] {0, (byte) r});
                }
            }));
            for (int p = 0; p < plcs; p++) {
                int port = ModbusPlcClientTest.freePort();
                NettyTcpServerTransport transport = NettyTcpServerTransport.create(config -> {
                    config.setBindAddress("127.0.0.1");
                    config.setPort(port);
                    config.setEventLoopGroup(serverLoops);
                });
                ModbusTcpServer server = ModbusTcpServer.create(transport, new ReadWriteModbusServices() {
                    @Override
                    protected Optional<ProcessImage> getProcessImage(int unitId) {
                        return Optional.of(image);
                    }
                });
                server.start();
                servers.add(server);
                ObjectNode settings =
                        json.createObjectNode().put("host", "127.0.0.1").put("port", port);
                ArrayNode map = settings.putArray("registers");
                for (int r = 0; r < registers; r++) {
                    map.addObject()
                            .put("metric", "r" + r)
                            .put("table", "holding")
                            .put("address", r)
                            .put("type", "uint16")
                            .put("pollMs", 1000);
                }
                protocol.check(settings);
                SouthboundClient client =
                        protocol.open(new SouthboundDevice("plc-" + p, "modbus", settings, Map.of()), link);
                clients.add(client);
                client.start();
            }
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            // Warm up 5 s (connections, JIT), then measure.
            long warm = System.nanoTime() + 5_000_000_000L;
            while (System.nanoTime() < warm) {
                Thread.sleep(100);
            }
            long startReadings = link.readings.size();
            long startCpu = os.getProcessCpuTime();
            long start = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            double elapsed = (System.nanoTime() - start) / 1e9;
            double readingsPerSecond = (link.readings.size() - startReadings) / elapsed;
            double cpuCores = (os.getProcessCpuTime() - startCpu) / 1e9 / elapsed;
            System.out.printf(
                    "BENCH modbus plcs=%d registers=%d poll=1s readings/s=%.0f (expected %d) process-cpu=%.2f cores"
                            + " load=%.1f offline-reports=%d%n",
                    plcs,
                    registers,
                    readingsPerSecond,
                    plcs * registers,
                    cpuCores,
                    os.getSystemLoadAverage(),
                    link.states.stream().filter(s -> s.startsWith("offline")).count());
        } finally {
            clients.forEach(SouthboundClient::close);
            protocol.close();
            link.close();
            for (ModbusTcpServer server : servers) {
                server.stop();
            }
            serverLoops.shutdownGracefully();
        }
    }
}

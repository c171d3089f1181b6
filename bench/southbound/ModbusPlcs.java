import com.digitalpetri.modbus.server.ModbusTcpServer;
import com.digitalpetri.modbus.server.ProcessImage;
import com.digitalpetri.modbus.server.ReadWriteModbusServices;
import com.digitalpetri.modbus.tcp.server.NettyTcpServerTransport;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Simulated PLCs for bench/southbound/modbus.sh (issue 21.6): PLCS Modbus TCP servers (the digitalpetri library's
 * server, one loopback port each, one shared event-loop thread) with REGISTERS holding registers that all change once
 * a second, so every poll reads new values. Runs in its own process so that the gateway's CPU can be measured apart
 * from the simulators. Writes one port per line to PORTS-FILE, then prints READY and serves until killed.
 *
 * <p>Usage: java -cp CP ModbusPlcs.java plcs registers ports-file
 */
public class ModbusPlcs {

    public static void main(String[] args) throws Exception {
        int plcs = Integer.parseInt(args[0]);
        int registers = Integer.parseInt(args[1]);
        Path portsFile = Path.of(args[2]);
        NioEventLoopGroup loops = new NioEventLoopGroup(1);
        ProcessImage image = new ProcessImage();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        int[] tick = {0};
        ticker.scheduleAtFixedRate(
                () -> {
                    int t = tick[0]++;
                    image.with(tx -> tx.writeHoldingRegisters(map -> {
                        for (int r = 0; r < registers; r++) {
                            int v = (t + r) & 0xffff;
                            map.put(r, new byte[] {(byte) (v >> 8), (byte) v});
                        }
                    }));
                },
                0,
                1,
                TimeUnit.SECONDS);
        List<String> ports = new ArrayList<>();
        for (int p = 0; p < plcs; p++) {
            int port = freePort();
            NettyTcpServerTransport transport = NettyTcpServerTransport.create(config -> {
                config.setBindAddress("127.0.0.1");
                config.setPort(port);
                config.setEventLoopGroup(loops);
            });
            ModbusTcpServer server = ModbusTcpServer.create(transport, new ReadWriteModbusServices() {
                @Override
                protected Optional<ProcessImage> getProcessImage(int unitId) {
                    return Optional.of(image);
                }
            });
            server.start();
            ports.add(Integer.toString(port));
        }
        Files.write(portsFile, ports);
        System.out.println("READY " + plcs + " PLCs x " + registers + " holding registers");
        new CountDownLatch(1).await();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}

package dev.mecgw.app.southbound.modbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalpetri.modbus.server.ModbusTcpServer;
import com.digitalpetri.modbus.server.ProcessImage;
import com.digitalpetri.modbus.server.ReadWriteModbusServices;
import com.digitalpetri.modbus.tcp.server.NettyTcpServerTransport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mecgw.app.southbound.SouthboundClient;
import dev.mecgw.app.southbound.SouthboundDevice;
import dev.mecgw.app.twin.DeviceCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The poll client against the Modbus library's own server, an unresponsive PLC and a PLC that sends garbage. */
class ModbusPlcClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Request timeout where the test is not about timeouts: one request slower than this on a loaded machine marks the
     * PLC offline, which the immediate {@code online} checks would then see.
     */
    private static final int REQUEST_TIMEOUT_MS = 10_000;

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private ModbusProtocol protocol;
    private ProcessImage image;
    private int serverPort;

    @BeforeEach
    void givenALibraryServer() throws Exception {
        protocol = new ModbusProtocol(() -> 2, JSON);
        image = new ProcessImage();
        image.with(tx -> {
            tx.writeHoldingRegisters(map -> {
                putRegisters(map, 0, "47F12040"); // float32 ABCD 123456.5
                putRegisters(map, 2, "1DC0FFFE"); // int32 CDAB -123456
                putRegisters(map, 4, "00D7"); // uint16 215 → 21.5 with scale 0.1
            });
            tx.writeInputRegisters(map -> putRegisters(map, 10, "FF85")); // int16 -123
            tx.writeCoils(map -> map.put(5, true));
            tx.writeDiscreteInputs(map -> map.put(7, true));
        });
        serverPort = freePort();
        NettyTcpServerTransport transport = NettyTcpServerTransport.create(config -> {
            config.setBindAddress("127.0.0.1");
            config.setPort(serverPort);
        });
        ModbusTcpServer server = ModbusTcpServer.create(transport, new ReadWriteModbusServices() {
            @Override
            protected Optional<ProcessImage> getProcessImage(int unitId) {
                return Optional.of(image);
            }
        });
        server.start();
        cleanup.add(server::stop);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : reversed(cleanup)) {
            c.close();
        }
        protocol.close();
    }

    @Test
    void shouldReadEveryTableWhenPolling() throws Exception {
        // given
        RecordingLink link = givenALink("plc-1");

        // when
        givenAClient(link, serverPort, REQUEST_TIMEOUT_MS, 100);

        // then
        await().until(() -> link.count("di") > 0);
        assertThat(link.latest("temperature")).isEqualTo(123456.5);
        assertThat(link.latest("energy")).isEqualTo(-123456.0);
        assertThat(link.latest("setpoint")).isCloseTo(21.5, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(link.latest("level")).isEqualTo(-123.0);
        assertThat(link.latest("pump")).isEqualTo(1.0);
        assertThat(link.latest("di")).isEqualTo(1.0);
        assertThat(link.lastState()).isEqualTo("online");
    }

    @Test
    void shouldWriteAHoldingRegisterAndACoilWhenCommanded() throws Exception {
        // given
        RecordingLink link = givenALink("plc-2");
        SouthboundClient client = givenAClient(link, serverPort, REQUEST_TIMEOUT_MS, 100);
        await().until(() -> "online".equals(link.lastState()));

        // when
        JsonNode result = client.execute(command("write", "{\"metric\":\"setpoint\",\"value\":42.3}"))
                .toCompletableFuture()
                .get();
        client.execute(command("write", "{\"metric\":\"pump\",\"value\":false}"))
                .toCompletableFuture()
                .get();

        // then: 42.3 / 0.1 = 423 = 0x01A7 in the PLC, and the next polls read it back
        assertThat(result.get("metric").asText()).isEqualTo("setpoint");
        String stored = image.<String>get(
                tx -> tx.readHoldingRegisters(map -> HexFormat.of().formatHex(map.get(4))));
        assertThat(stored).isEqualTo("01a7");
        await().until(() -> link.latest("setpoint") != null
                && Math.abs(link.latest("setpoint") - 42.3) < 1e-9
                && link.latest("pump") == 0.0);
    }

    @Test
    void shouldRefuseBadWritesWhenTheyBreakTheMap() throws Exception {
        // given
        RecordingLink link = givenALink("plc-3");
        SouthboundClient client = givenAClient(link, serverPort, REQUEST_TIMEOUT_MS, 100);

        // when / then: read-only table, out of range, unknown metric
        for (String args : List.of(
                "{\"metric\":\"level\",\"value\":1}",
                "{\"metric\":\"setpoint\",\"value\":7000}",
                "{\"metric\":\"nope\",\"value\":1}")) {
            assertThat(client.execute(command("write", args)).toCompletableFuture())
                    .as(args)
                    .failsWithin(Duration.ofSeconds(5));
        }
    }

    @Test
    void shouldKeepPollingOtherPlcsWhenOnePlcNeverAnswers() throws Exception {
        // given a PLC that accepts connections and never answers, with a long timeout
        ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        cleanup.add(silent);
        List<Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
        daemon(() -> acceptForever(silent, held::add));
        RecordingLink slow = givenALink("slow");
        givenAClient(slow, silent.getLocalPort(), 60_000, 100);
        RecordingLink fast = givenALink("fast");

        // when
        givenAClient(fast, serverPort, REQUEST_TIMEOUT_MS, 100);

        // then the fast PLC is polled many times while the slow one's first request is still waiting
        await().until(() -> fast.count("temperature") >= 10);
        assertThat(held).isNotEmpty();
        assertThat(slow.readings).isEmpty();
        assertThat(slow.states.isEmpty()).isTrue();
    }

    @Test
    void shouldDropTheConnectionAndRecoverWhenThePlcSendsMalformedFrames() throws Exception {
        // given a PLC whose first connections answer garbage, then a healthy one (a proxy to the library server)
        ServerSocket fuzz = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        cleanup.add(fuzz);
        AtomicInteger connections = new AtomicInteger();
        daemon(() -> acceptForever(fuzz, socket -> {
            int n = connections.incrementAndGet();
            daemon(n <= 6 ? garbage(socket, n) : proxy(socket));
        }));
        RecordingLink link = givenALink("fuzzed");

        // when
        givenAClient(link, fuzz.getLocalPort(), 300, 100);

        // then every garbage connection was dropped and a fresh one opened, and the client recovered
        await().atMost(Duration.ofSeconds(60)).until(() -> link.count("temperature") > 0);
        assertThat(connections.get()).isGreaterThan(6);
        assertThat(link.states.stream().anyMatch(s -> s.startsWith("offline"))).isTrue();
        assertThat(link.lastState()).isEqualTo("online");
        assertThat(link.latest("temperature")).isEqualTo(123456.5);
    }

    /** Malformed answers: random bytes, a header promising 65535 bytes, a truncated PDU, an unknown function. */
    private static Runnable garbage(Socket socket, int variant) {
        return () -> {
            try (socket) {
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                byte[] request = new byte[260];
                int read = in.read(request);
                if (read < 8) {
                    return;
                }
                byte[] answer = switch (variant % 4) {
                    case 0 -> {
                        byte[] random = new byte[64];
                        new Random(variant).nextBytes(random);
                        yield random;
                    }
                    case 1 -> new byte[] {request[0], request[1], 0, 0, (byte) 0xFF, (byte) 0xFF, 1, 3, 2};
                    case 2 -> new byte[] {request[0], request[1], 0, 0, 0, 4, 1, 3, 40, 1};
                    default -> new byte[] {request[0], request[1], 0, 0, 0, 3, 1, 0x55, 0};
                };
                out.write(answer);
                out.flush();
                // Keep the socket open: the client must notice on its own (timeout) and drop it.
                while (in.read(request) >= 0) {
                    // discard further requests
                }
            } catch (IOException e) {
                // the client dropped the connection, as it should
            }
        };
    }

    private Runnable proxy(Socket socket) {
        return () -> {
            try (socket;
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), serverPort)) {
                Thread pump = daemon(() -> copy(upstream, socket));
                copy(socket, upstream);
                pump.join();
            } catch (IOException | InterruptedException e) {
                // connection ended
            }
        };
    }

    private static void copy(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // one side closed
        }
    }

    private static void acceptForever(ServerSocket server, java.util.function.Consumer<Socket> onAccept) {
        try {
            while (!server.isClosed()) {
                onAccept.accept(server.accept());
            }
        } catch (IOException e) {
            // server closed at the end of the test
        }
    }

    private RecordingLink givenALink(String id) {
        RecordingLink link = new RecordingLink(id);
        cleanup.add(link);
        return link;
    }

    private SouthboundClient givenAClient(RecordingLink link, int port, int timeoutMs, int pollMs) throws Exception {
        ObjectNode settings = (ObjectNode) JSON.readTree(("{'host':'127.0.0.1','port':" + port + ",'timeoutMs':"
                        + timeoutMs + ",'registers':["
                        + "{'metric':'temperature','table':'holding','address':0,'type':'float32','pollMs':" + pollMs
                        + "},{'metric':'energy','table':'holding','address':2,'type':'int32','wordOrder':'little',"
                        + "'pollMs':" + pollMs + "},{'metric':'setpoint','table':'holding','address':4,'type':'uint16',"
                        + "'scale':0.1,'pollMs':" + pollMs + "},"
                        + "{'metric':'level','table':'input','address':10,'type':'int16','pollMs':" + pollMs + "},"
                        + "{'metric':'pump','table':'coil','address':5,'pollMs':" + pollMs + "},"
                        + "{'metric':'di','table':'discrete','address':7,'pollMs':" + pollMs + "}]}")
                .replace('\'', '"'));
        protocol.check(settings);
        SouthboundClient client =
                protocol.open(new SouthboundDevice(link.deviceId(), "modbus", settings, Map.of()), link);
        cleanup.add(client);
        client.start();
        return client;
    }

    private static DeviceCommand command(String name, String args) {
        return new DeviceCommand(
                "plc", "c-" + System.nanoTime(), name, args.getBytes(StandardCharsets.UTF_8), Instant.now());
    }

    private static void putRegisters(Map<Integer, byte[]> map, int address, String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        for (int i = 0; i < bytes.length / 2; i++) {
            map.put(address + i, new byte[] {bytes[2 * i], bytes[2 * i + 1]});
        }
    }

    private static List<AutoCloseable> reversed(List<AutoCloseable> list) {
        List<AutoCloseable> copy = new ArrayList<>(list);
        java.util.Collections.reverse(copy);
        return copy;
    }

    private static Thread daemon(Runnable task) {
        Thread thread = new Thread(task, "modbus-test-peer");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}

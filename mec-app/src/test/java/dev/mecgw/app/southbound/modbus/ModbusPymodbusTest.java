package dev.mecgw.app.southbound.modbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mecgw.app.southbound.SouthboundClient;
import dev.mecgw.app.southbound.SouthboundDevice;
import dev.mecgw.app.twin.DeviceCommand;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The poll client against pymodbus, an independent Modbus implementation (issue 21 item 5): every data type in every
 * word and byte order, bits, and a write read back. Skips with one line when pymodbus is not installed, except under
 * CI=true.
 */
class ModbusPymodbusTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Double> VALUES = Map.of(
            "int16",
            -12345.0,
            "uint16",
            54321.0,
            "int32",
            -123456789.0,
            "uint32",
            3123456789.0,
            "float32",
            1234.5,
            "float64",
            -98765.4321);

    @TempDir
    Path dir;

    private Process plc;
    private ModbusProtocol protocol;
    private RecordingLink link;
    private SouthboundClient client;

    @BeforeEach
    void requirePymodbus() throws Exception {
        boolean present = new ProcessBuilder("python3", "-c", "import pymodbus")
                        .redirectErrorStream(true)
                        .start()
                        .waitFor()
                == 0;
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("pymodbus is required under CI=true (pip install pymodbus==3.15.0)");
        }
        Assumptions.assumeTrue(present, "pymodbus not installed: skipping the pymodbus interop test");
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (protocol != null) {
            protocol.close();
        }
        if (link != null) {
            link.close();
        }
        if (plc != null) {
            plc.getOutputStream().close();
            if (!plc.waitFor(10, TimeUnit.SECONDS)) {
                plc.destroyForcibly();
            }
        }
    }

    @Test
    void shouldReadEveryTypeAndOrderAndWriteWhenThePlcIsPymodbus() throws Exception {
        // given a PLC holding every type in every order, and a register map reading them
        ArrayNode spec = JSON.createArrayNode();
        ArrayNode registers = JSON.createArrayNode();
        Map<String, Double> expected = new LinkedHashMap<>();
        int address = 0;
        for (String type : List.of("int16", "uint16", "int32", "uint32", "float32", "float64")) {
            int words = type.endsWith("16") ? 1 : type.endsWith("64") ? 4 : 2;
            for (String wordOrder : words == 1 ? List.of("big") : List.of("big", "little")) {
                for (String byteOrder : List.of("big", "little")) {
                    String metric = type + "_" + wordOrder + "_" + byteOrder;
                    spec.add(item("holding", address, type, wordOrder, byteOrder, VALUES.get(type)));
                    registers.add(item("holding", address, type, wordOrder, byteOrder, null)
                            .put("metric", metric));
                    expected.put(metric, VALUES.get(type));
                    address += words;
                }
            }
        }
        spec.add(item("input", 0, "float32", "little", "big", 21.5));
        registers.add(item("input", 0, "float32", "little", "big", null).put("metric", "input_float"));
        expected.put("input_float", 21.5);
        spec.add(JSON.createObjectNode().put("table", "coil").put("address", 3).put("value", 1));
        registers.add(JSON.createObjectNode()
                .put("metric", "coil")
                .put("table", "coil")
                .put("address", 3));
        expected.put("coil", 1.0);
        spec.add(JSON.createObjectNode()
                .put("table", "discrete")
                .put("address", 9)
                .put("value", 1));
        registers.add(JSON.createObjectNode()
                .put("metric", "di")
                .put("table", "discrete")
                .put("address", 9));
        expected.put("di", 1.0);
        int port = givenAPymodbusPlc(spec);
        ObjectNode settings = JSON.createObjectNode().put("host", "127.0.0.1").put("port", port);
        registers.forEach(r -> ((ObjectNode) r).put("pollMs", 200));
        settings.set("registers", registers);
        protocol.check(settings);

        // when
        client = protocol.open(new SouthboundDevice("py-plc", "modbus", settings, Map.of()), link);
        client.start();

        // then
        await().atMost(Duration.ofSeconds(60))
                .until(() -> expected.keySet().stream().allMatch(m -> link.latest(m) != null));
        expected.forEach((metric, value) -> {
            double tolerance = metric.startsWith("float32") || metric.equals("input_float") ? 1e-3 : 1e-9;
            assertThat(link.latest(metric)).as(metric).isCloseTo(value, org.assertj.core.data.Offset.offset(tolerance));
        });

        // when a float64 in little/little order and a coil are written
        client.execute(command("{\"metric\":\"float64_little_little\",\"value\":6.02214076E23}"))
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        client.execute(command("{\"metric\":\"coil\",\"value\":false}"))
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);

        // then pymodbus stored them, as the next polls show
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Double.valueOf(6.02214076E23).equals(link.latest("float64_little_little"))
                        && Double.valueOf(0.0).equals(link.latest("coil")));
    }

    private int givenAPymodbusPlc(ArrayNode spec) throws Exception {
        Path script = dir.resolve("pymodbus_plc.py");
        try (var in = getClass().getResourceAsStream("/southbound/modbus/pymodbus_plc.py")) {
            Files.copy(in, script);
        }
        Path specFile = dir.resolve("spec.json");
        JSON.writeValue(specFile.toFile(), spec);
        int port = ModbusPlcClientTest.freePort();
        plc = new ProcessBuilder("python3", script.toString(), String.valueOf(port), specFile.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(plc.getInputStream(), StandardCharsets.UTF_8));
        // readLine blocks until the script printed READY (it checks its own port) or exited
        assertThat(out.readLine()).isEqualTo("READY");
        protocol = new ModbusProtocol(() -> 1, JSON);
        link = new RecordingLink("py-plc");
        return port;
    }

    private static ObjectNode item(
            String table, int address, String type, String wordOrder, String byteOrder, Double value) {
        ObjectNode item = JSON.createObjectNode()
                .put("table", table)
                .put("address", address)
                .put("type", type)
                .put("wordOrder", wordOrder)
                .put("byteOrder", byteOrder);
        if (value != null) {
            item.put("value", value);
        }
        return item;
    }

    private static DeviceCommand command(String args) {
        return new DeviceCommand(
                "py-plc", "c-" + System.nanoTime(), "write", args.getBytes(StandardCharsets.UTF_8), Instant.now());
    }
}

package dev.mecgw.app.southbound;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.digitalpetri.modbus.server.ModbusTcpServer;
import com.digitalpetri.modbus.server.ProcessImage;
import com.digitalpetri.modbus.server.ReadWriteModbusServices;
import com.digitalpetri.modbus.tcp.server.NettyTcpServerTransport;
import dev.mecgw.testsupport.net.FreePorts;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Modbus device through the gateway's REST API (issue 21 items 1 and 4): register-map validation on upload, the
 * live connection state in the device document, readings in the telemetry store, a write command and its status.
 */
@QuarkusTest
class ModbusDeviceApiTest {

    private static final String TOKEN = "test-admin-token";

    private ModbusTcpServer server;
    private ProcessImage image;
    private int port;

    @BeforeEach
    void givenAPlc() throws Exception {
        image = new ProcessImage();
        image.with(tx -> tx.writeHoldingRegisters(map -> {
            map.put(0, new byte[] {0x47, (byte) 0xF1});
            map.put(1, new byte[] {0x20, 0x40});
        }));
        port = FreePorts.tcp();
        NettyTcpServerTransport transport = NettyTcpServerTransport.create(config -> {
            config.setBindAddress("127.0.0.1");
            config.setPort(port);
        });
        server = ModbusTcpServer.create(transport, new ReadWriteModbusServices() {
            @Override
            protected Optional<ProcessImage> getProcessImage(int unitId) {
                return Optional.of(image);
            }
        });
        server.start();
    }

    @AfterEach
    void stopPlc() throws Exception {
        server.stop();
    }

    @Test
    void shouldRefuseAnOverlappingMapNamingTheField() {
        admin().body(device("bad-" + UUID.randomUUID().toString().substring(0, 8), port, 1))
                .post("/api/v1/devices")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body(containsString("connection.registers[1].address"));
    }

    @Test
    void shouldPollStoreAndWriteWhenAModbusDeviceIsRegistered() {
        // given
        String id = "plc-" + UUID.randomUUID().toString().substring(0, 8);

        // when
        admin().body(device(id, port, 2))
                .post("/api/v1/devices")
                .then()
                .statusCode(201)
                .body("connection.settings.host", equalTo("127.0.0.1"));

        // then: online in the device document, readings in the store
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> admin().get("/api/v1/devices/" + id)
                        .then()
                        .body("connection.state.state", equalTo("online"))
                        .body("status.online", equalTo(true)));
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> admin().queryParam("metric", "temperature")
                        .get("/api/v1/devices/" + id + "/telemetry")
                        .then()
                        .statusCode(200)
                        .body(containsString("123456.5")));

        // when a write command is sent through the command API
        String commandId = admin().body("{\"name\":\"write\",\"payload\":{\"metric\":\"setpoint\",\"value\":42.3}}")
                .post("/api/v1/devices/" + id + "/commands")
                .then()
                .statusCode(202)
                .extract()
                .path("commandId");

        // then the PLC holds 423 (scale 0.1) and the command is acknowledged
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> admin().get("/api/v1/devices/" + id + "/commands/" + commandId)
                        .then()
                        .body("status", equalTo("acknowledged")));
        await().until(() -> "01a7"
                .equals(image.<String>get(
                        tx -> tx.readHoldingRegisters(m -> HexFormat.of().formatHex(m.get(4))))));

        // then deleting the device stops its client
        admin().delete("/api/v1/devices/" + id).then().statusCode(204);
    }

    @Test
    void shouldShowOfflineWithTheLastErrorWhenThePlcIsUnreachable() throws Exception {
        // given a port where nothing listens
        int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();
        }
        String id = "plc-" + UUID.randomUUID().toString().substring(0, 8);

        // when
        admin().body(device(id, closed, 2)).post("/api/v1/devices").then().statusCode(201);

        // then
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> admin().get("/api/v1/devices/" + id)
                        .then()
                        .body("connection.state.state", equalTo("offline"))
                        .body("connection.state.lastError", containsString("Connect")));
        admin().delete("/api/v1/devices/" + id).then().statusCode(204);
    }

    /** A device whose second metric starts at {@code second} (1 overlaps the float at 0..1). */
    private static String device(String id, int port, int second) {
        return ("{'id':'" + id + "','type':'modbus','connection':{'host':'127.0.0.1','port':" + port
                        + ",'timeoutMs':1000,'registers':["
                        + "{'metric':'temperature','table':'holding','address':0,'type':'float32','pollMs':200},"
                        + "{'metric':'counter','table':'holding','address':" + second
                        + ",'type':'uint16','pollMs':200},"
                        + "{'metric':'setpoint','table':'holding','address':4,'type':'uint16','scale':0.1,'pollMs':200}"
                        + "]}}")
                .replace('\'', '"');
    }

    private static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + TOKEN).contentType(ContentType.JSON);
    }
}

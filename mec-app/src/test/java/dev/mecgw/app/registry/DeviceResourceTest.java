package dev.mecgw.app.registry;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DeviceResourceTest {

    static final String TOKEN = "test-admin-token";
    static final String PSK = "00112233445566778899aabbccddeeff";

    @Inject
    DataSource dataSource;

    @Test
    void shouldCreateAndReadDeviceWhenBodyIsValid() {
        // given
        String id = uniqueId();
        // when
        givenAdmin()
                .body(validDevice(id))
                .post("/api/v1/devices")
                .then()
                .statusCode(201)
                .header("Location", containsString("/api/v1/devices/" + id))
                .body("id", equalTo(id))
                .body("type", equalTo("sensor"))
                .body("labels.zone", equalTo("north"))
                .body("sim.supi", containsString("imsi-00101"))
                .body("slice.sst", equalTo(1))
                .body("slice.sd", equalTo("0000FF"))
                .body("credentials.password", equalTo(true))
                .body("credentials.psk", equalTo(true))
                .body("status.online", equalTo(false));
        // then (no network integration in this profile, so no network state is shown)
        givenAdmin()
                .get("/api/v1/devices/" + id)
                .then()
                .statusCode(200)
                .body("id", equalTo(id))
                .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("network")));
    }

    @Inject
    DeviceRegistry registry;

    @Test
    void shouldKeepUrlLabelWithoutPasswordWhenCameraUrlCarriesUserInfo() throws Exception {
        // given: a camera whose stream URL carries a user and password (issue 14.9)
        String id = uniqueId();
        String url = "http://viewer:cam%40pass-77@cam-77.example:8080/video?fps=5";
        // when: created, then read back and written again as a client does
        givenAdmin()
                .body("{\"id\":\"" + id + "\",\"type\":\"camera\",\"labels\":{\"mjpeg-url\":\"" + url + "\"}}")
                .post("/api/v1/devices")
                .then()
                .statusCode(201)
                .body("labels.mjpeg-url", equalTo("http://cam-77.example:8080/video?fps=5"));
        givenAdmin()
                .body("{\"type\":\"camera\",\"labels\":{\"mjpeg-url\":\"http://cam-77.example:8080/video?fps=5\"}}")
                .put("/api/v1/devices/" + id)
                .then()
                .statusCode(200);
        // then: the stored (replicated) label has no credentials; the gateway still pulls with them
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT labels::text FROM devices WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getString(1)).doesNotContain("pass-77").doesNotContain("viewer");
            }
        }
        assertThat(registry.labelWithSecret(id, "mjpeg-url")).contains(url);
    }

    @Test
    void shouldNeverReturnOrStoreSecretsInClearWhenCredentialsAreSet() throws Exception {
        // given
        String id = uniqueId();
        givenAdmin().body(validDevice(id)).post("/api/v1/devices").then().statusCode(201);
        // when
        String body = givenAdmin()
                .get("/api/v1/devices/" + id)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        String list = givenAdmin()
                .get("/api/v1/devices?size=500")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        // then
        assertThat(body).doesNotContain("hunter2-secret").doesNotContain(PSK);
        assertThat(list).doesNotContain("hunter2-secret").doesNotContain(PSK);
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT password_hash, psk_ciphertext FROM device_credentials WHERE device_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).startsWith("pbkdf2-sha256$").doesNotContain("hunter2-secret");
                byte[] cipher = rs.getBytes(2);
                assertThat(HexFormat.of().formatHex(cipher)).doesNotContain(PSK);
                assertThat(new String(cipher, StandardCharsets.ISO_8859_1)).doesNotContain("hunter2");
            }
        }
    }

    @Test
    void shouldAnswer401WhenTokenIsMissingOrWrong() {
        given().contentType(ContentType.JSON)
                .body(validDevice(uniqueId()))
                .post("/api/v1/devices")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"));
        given().header("Authorization", "Bearer wrong")
                .get("/api/v1/devices")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        given().header("Authorization", "Basic " + TOKEN)
                .get("/api/v1/devices")
                .then()
                .statusCode(401);
    }

    @Test
    void shouldKeepProbesOpenWhenNoTokenIsGiven() {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Database")));
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"));
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/devices"));
    }

    @Test
    void shouldAnswer400NamingTheFieldWhenTypesAreWrong() {
        assertBadRequest("{\"id\":\"a1\",\"type\":7}", "type");
        assertBadRequest("{\"id\":\"a1\",\"type\":\"sensor\",\"slice\":{\"sst\":\"one\"}}", "slice.sst");
        assertBadRequest("{\"id\":\"a1\",\"type\":\"sensor\",\"slice\":{\"sst\":\"1\"}}", "slice.sst");
        assertBadRequest("{\"id\":\"a1\",\"type\":\"sensor\",\"labels\":[\"x\"]}", "labels");
        assertBadRequest("{\"id\":\"a1\",\"type\":\"sensor\",\"labels\":{\"k\":5}}", "labels.k");
    }

    @Test
    void shouldAnswer400WhenIdIsMissingOrInvalid() {
        assertBadRequest("{\"type\":\"sensor\"}", "id");
        assertBadRequest("{\"id\":\"a/b\",\"type\":\"sensor\"}", "id");
        assertBadRequest("{\"id\":\"devices/#\",\"type\":\"sensor\"}", "id");
        assertBadRequest("{\"id\":\"\",\"type\":\"sensor\"}", "id");
    }

    @Test
    void shouldAnswer400WhenLabelsAreOversized() {
        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i < 33; i++) {
            many.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
        }
        many.append('}');
        assertBadRequest("{\"id\":\"a1\",\"type\":\"sensor\",\"labels\":" + many + "}", "labels");
        assertBadRequest(
                "{\"id\":\"a1\",\"type\":\"sensor\",\"labels\":{\"k\":\"" + "x".repeat(257) + "\"}}", "labels[k]");
        assertBadRequest(
                "{\"id\":\"a1\",\"type\":\"sensor\",\"labels\":{\"" + "k".repeat(64) + "\":\"v\"}}",
                "labels[" + "k".repeat(64) + "]");
    }

    @Test
    void shouldAnswer400WhenSliceIsNotAnSnssai() {
        assertBadRequest("{\"id\":\"a1\",\"type\":\"sensor\",\"slice\":{\"sst\":256}}", "slice.sst");
        assertBadRequest("{\"id\":\"a1\",\"type\":\"sensor\",\"slice\":{\"sst\":-1}}", "slice.sst");
        assertBadRequest("{\"id\":\"a1\",\"type\":\"sensor\",\"slice\":{\"sd\":\"0000ff\"}}", "slice.sst");
        assertBadRequest("{\"id\":\"a1\",\"type\":\"sensor\",\"slice\":{\"sst\":1,\"sd\":\"12345\"}}", "slice.sd");
        assertBadRequest("{\"id\":\"a1\",\"type\":\"sensor\",\"slice\":{\"sst\":1,\"sd\":\"GGGGGG\"}}", "slice.sd");
    }

    @Test
    void shouldAnswer400WhenSimOrCredentialsAreMalformed() {
        assertBadRequest("{\"id\":\"a1\",\"type\":\"sensor\",\"sim\":{\"supi\":\"12345\"}}", "sim.supi");
        assertBadRequest("{\"id\":\"a1\",\"type\":\"sensor\",\"sim\":{\"gpsi\":\"msisdn-12\"}}", "sim.gpsi");
        assertBadRequest("{\"id\":\"a1\",\"type\":\"sensor\",\"credentials\":{\"psk\":\"abcd\"}}", "credentials.psk");
        assertBadRequest(
                "{\"id\":\"a1\",\"type\":\"sensor\",\"credentials\":{\"password\":\"short\"}}", "credentials.password");
        assertBadRequest(
                "{\"id\":\"a1\",\"type\":\"sensor\",\"credentials\":{\"x509Sha256\":\"ab\"}}",
                "credentials.x509Sha256");
    }

    @Test
    void shouldAnswer400WhenFieldIsUnknownOrBodyIsMalformed() {
        assertBadRequest("{\"id\":\"a1\",\"type\":\"sensor\",\"colour\":\"red\"}", "colour");
        assertBadRequest("{\"id\":\"a1\",\"type\":\"sensor\",\"sim\":{\"imsi\":\"1\"}}", "sim.imsi");
        assertBadRequest("{\"id\":\"a1\",", "$");
        assertBadRequest("[]", "$");
        givenAdmin().post("/api/v1/devices").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void shouldLeaveNothingBehindWhenCreationFails() {
        // given a device holding a SUPI
        String first = uniqueId();
        givenAdmin().body(validDevice(first)).post("/api/v1/devices").then().statusCode(201);
        String supi =
                givenAdmin().get("/api/v1/devices/" + first).then().extract().path("sim.supi");
        // when a second device claims the same SUPI
        String second = uniqueId();
        givenAdmin()
                .body("{\"id\":\"" + second + "\",\"type\":\"sensor\",\"sim\":{\"supi\":\"" + supi + "\"},"
                        + "\"credentials\":{\"password\":\"another-pass\"}}")
                .post("/api/v1/devices")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("sim.supi"));
        // then neither the device nor its credentials exist
        givenAdmin().get("/api/v1/devices/" + second).then().statusCode(404);
        givenAdmin()
                .body(validDevice(second).replace(supi, "imsi-999990000000001"))
                .post("/api/v1/devices")
                .then()
                .statusCode(201);
    }

    @Test
    void shouldAnswer409WhenIdExists() {
        String id = uniqueId();
        givenAdmin().body(validDevice(id)).post("/api/v1/devices").then().statusCode(201);
        givenAdmin()
                .body("{\"id\":\"" + id + "\",\"type\":\"camera\"}")
                .post("/api/v1/devices")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("id"));
        givenAdmin().get("/api/v1/devices/" + id).then().body("type", equalTo("sensor"));
    }

    @Test
    void shouldAnswer404WhenDeviceIsUnknown() {
        givenAdmin()
                .get("/api/v1/devices/nope-" + UUID.randomUUID())
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404));
        givenAdmin().delete("/api/v1/devices/nope").then().statusCode(404);
        givenAdmin()
                .body("{\"type\":\"sensor\"}")
                .put("/api/v1/devices/nope")
                .then()
                .statusCode(404);
        givenAdmin()
                .body("{\"password\":\"long-enough\"}")
                .put("/api/v1/devices/nope/credentials")
                .then()
                .statusCode(404);
    }

    @Test
    void shouldReplaceAttributesAndKeepSecretsWhenUpdated() {
        String id = uniqueId();
        givenAdmin().body(validDevice(id)).post("/api/v1/devices").then().statusCode(201);
        givenAdmin()
                .body("{\"type\":\"camera\",\"labels\":{\"zone\":\"south\"}}")
                .put("/api/v1/devices/" + id)
                .then()
                .statusCode(200)
                .body("type", equalTo("camera"))
                .body("labels.zone", equalTo("south"))
                .body("sim", nullValue())
                .body("credentials.password", equalTo(true));
        givenAdmin()
                .body("{\"id\":\"other\",\"type\":\"camera\"}")
                .put("/api/v1/devices/" + id)
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("id"));
    }

    @Test
    void shouldSetCredentialsWhenPutSeparately() {
        String id = uniqueId();
        givenAdmin()
                .body("{\"id\":\"" + id + "\",\"type\":\"sensor\"}")
                .post("/api/v1/devices")
                .then()
                .statusCode(201)
                .body("credentials.password", equalTo(false));
        String fingerprint = (UUID.randomUUID().toString() + UUID.randomUUID())
                .replace("-", "")
                .toUpperCase();
        givenAdmin()
                .body("{\"psk\":\"" + PSK + "\",\"x509Sha256\":\"" + fingerprint + "\"}")
                .put("/api/v1/devices/" + id + "/credentials")
                .then()
                .statusCode(200)
                .body("credentials.psk", equalTo(true))
                .body("credentials.password", equalTo(false))
                .body("credentials.x509Sha256", equalTo(fingerprint.toLowerCase()))
                .body(not(containsString(PSK)));
        givenAdmin()
                .body("{}")
                .put("/api/v1/devices/" + id + "/credentials")
                .then()
                .statusCode(400);
    }

    @Test
    void shouldDeleteDeviceWhenItExists() {
        String id = uniqueId();
        givenAdmin().body(validDevice(id)).post("/api/v1/devices").then().statusCode(201);
        givenAdmin().delete("/api/v1/devices/" + id).then().statusCode(204);
        givenAdmin().get("/api/v1/devices/" + id).then().statusCode(404);
    }

    @Test
    void shouldFilterAndPageWhenListing() {
        // given three devices of a fresh type, two of them labelled
        String type = "t" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 3; i++) {
            givenAdmin()
                    .body("{\"id\":\"" + type + "-" + i + "\",\"type\":\"" + type + "\",\"labels\":{\"row\":\""
                            + (i < 2 ? "a" : "b") + "\"},\"slice\":{\"sst\":" + (i + 1) + ",\"sd\":\"00000" + i
                            + "\"}}")
                    .post("/api/v1/devices")
                    .then()
                    .statusCode(201);
        }
        // when / then
        list("type=" + type).body("total", equalTo(3)).body("items", hasSize(3));
        list("type=" + type + "&label=row=a").body("total", equalTo(2));
        list("type=" + type + "&sst=3").body("items[0].id", equalTo(type + "-2"));
        list("type=" + type + "&sst=2&sd=000001").body("total", equalTo(1));
        list("type=" + type + "&size=2&page=0").body("items", hasSize(2)).body("total", equalTo(3));
        list("type=" + type + "&size=2&page=1").body("items", hasSize(1)).body("items[0].id", equalTo(type + "-2"));
        list("type=" + type + "&size=2&page=5").body("items", hasSize(0)).body("total", equalTo(3));
        givenAdmin().get("/api/v1/devices?size=0").then().statusCode(400).body("errors[0].field", equalTo("size"));
        givenAdmin().get("/api/v1/devices?sst=300").then().statusCode(400).body("errors[0].field", equalTo("sst"));
        givenAdmin().get("/api/v1/devices?label=novalue").then().statusCode(400);
    }

    private ValidatableResponse list(String query) {
        return givenAdmin().get("/api/v1/devices?" + query).then().statusCode(200);
    }

    private static void assertBadRequest(String body, String field) {
        givenAdmin()
                .body(body)
                .post("/api/v1/devices")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors.field", hasItem(field))
                .body(not(containsString("Exception")));
    }

    static io.restassured.specification.RequestSpecification givenAdmin() {
        return given().header("Authorization", "Bearer " + TOKEN).contentType(ContentType.JSON);
    }

    static String uniqueId() {
        return "dev-" + UUID.randomUUID().toString().substring(0, 12);
    }

    static String validDevice(String id) {
        long n = Math.abs((long) id.hashCode()) % 1_000_000_000L;
        return "{\"id\":\"" + id + "\",\"type\":\"sensor\",\"labels\":{\"zone\":\"north\"},"
                + "\"sim\":{\"supi\":\"imsi-00101" + String.format("%010d", n) + "\",\"gpsi\":\"msisdn-4912345678\"},"
                + "\"slice\":{\"sst\":1,\"sd\":\"0000ff\"},"
                + "\"credentials\":{\"password\":\"hunter2-secret\",\"psk\":\"" + PSK + "\"}}";
    }
}

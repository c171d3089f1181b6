package dev.mecgw.app.twin;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A command's payload through the real REST endpoint {@code POST /api/v1/devices/{id}/commands} and the real command
 * table (review r8): text is a JSON string, stored and sent as given; a payload the store cannot keep is a 400
 * problem naming {@code payload}, not a 503, and nothing is stored. The console's form takes the same path
 * ({@code ConsoleCommandFormTest}).
 */
@QuarkusTest
class CommandPayloadCheckTest {

    private static final String ADMIN = "Bearer test-admin-token";

    @Inject
    AgroalDataSource dataSource;

    @Test
    void shouldStoreATextPayloadAsTheJsonStringItIsWhenItComesOverRest() throws Exception {
        // given a device
        String device = CommandFixtures.givenADevice("cmd");
        // when a command carries text
        given().header("Authorization", ADMIN)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "say", "payload", "reboot now"))
                .post("/api/v1/devices/" + device + "/commands")
                .then()
                .statusCode(202);
        // then devices get it as the JSON string it is
        assertThat(storedPayloads(device)).containsExactly("\"reboot now\"");
    }

    @Test
    void shouldRefuseAPayloadTheStoreCannotKeepWithAProblemNamingPayload() throws Exception {
        // given a device
        String device = CommandFixtures.givenADevice("cmd");
        // when a command's payload holds U+0000 (valid JSON, which PostgreSQL's jsonb refuses)
        given().header("Authorization", ADMIN)
                .contentType(ContentType.JSON)
                .body("{\"name\":\"say\",\"payload\":{\"text\":\"a\\u0000b\"}}")
                .post("/api/v1/devices/" + device + "/commands")
                .then()
                // then it is the client's error, naming the field, and nothing is stored
                .statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("errors[0].field", equalTo("payload"));
        assertThat(storedPayloads(device)).isEmpty();
    }

    private List<String> storedPayloads(String device) throws Exception {
        return CommandFixtures.storedPayloads(dataSource, device);
    }
}

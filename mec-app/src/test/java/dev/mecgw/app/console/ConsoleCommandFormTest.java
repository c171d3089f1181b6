package dev.mecgw.app.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.mecgw.app.console.ConsoleLoginTest.Browser;
import dev.mecgw.app.twin.CommandFixtures;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The device page's command form over HTTP with an operator's session (review r8): it promises "JSON or text", and
 * keeps it as the REST API's {@code payload} does: JSON goes as typed, other text as a JSON string, an empty box as
 * null; a typo in JSON, or a value the command store cannot keep, is a 400 problem naming {@code payload} with nothing
 * stored, never "store unavailable".
 */
@QuarkusTest
class ConsoleCommandFormTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void shouldSendWhatTheOperatorTypedAsTheRestApiWouldWhenItIsJsonTextOrNothing() throws Exception {
        // given an operator on a device's page
        String device = CommandFixtures.givenADevice("form");
        Browser operator = ConsoleScreensTest.givenLoggedIn(ConsoleLoginTest.givenUser("operator"));
        // when commands are sent with JSON, with plain text, and with an empty box
        send(operator, device, "{\"delay\":5}").then().statusCode(303);
        send(operator, device, "reboot now").then().statusCode(303);
        send(operator, device, "").then().statusCode(303);
        // then each is stored as devices get it: the JSON as typed, the text as a JSON string, nothing as null
        assertThat(storedPayloads(device)).containsExactly("{\"delay\":5}", "\"reboot now\"", "null");
    }

    @Test
    void shouldRefuseNamingThePayloadAndStoreNothingWhenItIsBrokenJsonOrUnstorable() throws Exception {
        // given an operator on a device's page
        String device = CommandFixtures.givenADevice("form");
        Browser operator = ConsoleScreensTest.givenLoggedIn(ConsoleLoginTest.givenUser("operator"));
        // when the payload opens a JSON object but does not close it, holds U+0000, or is a number jsonb cannot hold
        for (String payload : new String[] {"{\"delay\":5", "stop\u0000now", "1e200000"}) {
            send(operator, device, payload)
                    .then()
                    // then each is the operator's error, naming the field
                    .statusCode(400)
                    .contentType(startsWith("application/problem+json"))
                    .body("errors[0].field", equalTo("payload"));
        }
        // and nothing was stored
        assertThat(storedPayloads(device)).isEmpty();
    }

    private static io.restassured.response.Response send(Browser operator, String device, String payload) {
        return operator.post("/console/devices/" + device + "/commands", Map.of("name", "say", "payload", payload));
    }

    private List<String> storedPayloads(String device) throws Exception {
        return CommandFixtures.storedPayloads(dataSource, device);
    }
}

package dev.mecgw.app.inference;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.mecgw.inference.model.FileModelRegistry;
import dev.mecgw.inference.onnx.TinyModels;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ModelResourceTest {

    // Built by the test with mnist-8's names and shapes (issue 16): the REST mechanics need no fixture.
    private static final byte[] MNIST = TinyModels.digits(0);

    @Test
    void shouldServeModelWhenUploadedWithValidMetadata() {
        // when
        givenAdmin()
                .multiPart("metadata", metadata("7", FileModelRegistry.sha256(MNIST)))
                .multiPart("model", "model.onnx", MNIST, "application/octet-stream")
                .post("/api/v1/models")
                .then()
                .statusCode(201)
                .body("name", equalTo("digits-rest"))
                .body("version", equalTo("7"));

        // then
        givenAdmin().get("/api/v1/models").then().statusCode(200).body("name", hasItem("digits-rest"));
        givenAdmin().get("/api/v1/models/digits-rest").then().statusCode(200).body("kind", equalTo("VISION"));
    }

    @Test
    void shouldAnswer422AndKeepServingWhenNewVersionIsCorrupt() {
        // given
        givenAdmin()
                .multiPart("metadata", metadata("1", FileModelRegistry.sha256(MNIST)))
                .multiPart("model", "model.onnx", MNIST, "application/octet-stream")
                .post("/api/v1/models")
                .then()
                .statusCode(201);
        byte[] corrupt = Arrays.copyOf(MNIST, MNIST.length / 2);

        // when
        givenAdmin()
                .multiPart("metadata", metadata("2", FileModelRegistry.sha256(corrupt)))
                .multiPart("model", "model.onnx", corrupt, "application/octet-stream")
                .post("/api/v1/models")
                // then
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("detail", containsString("does not load"));
        givenAdmin().get("/api/v1/models/digits-rest").then().statusCode(200).body("version", equalTo("1"));
    }

    @Test
    void shouldAnswer400WhenChecksumDiffers() {
        givenAdmin()
                .multiPart("metadata", metadata("3", "0".repeat(64)))
                .multiPart("model", "model.onnx", MNIST, "application/octet-stream")
                .post("/api/v1/models")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("SHA-256 of the uploaded model is " + FileModelRegistry.sha256(MNIST)));
    }

    @Test
    void shouldAnswer400NamingTheFieldWhenMetadataHasUnknownField() {
        givenAdmin()
                .multiPart(
                        "metadata",
                        metadata("4", FileModelRegistry.sha256(MNIST)).replace("\"kind\"", "\"knd\""))
                .multiPart("model", "model.onnx", MNIST, "application/octet-stream")
                .post("/api/v1/models")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("field 'knd'"))
                .body("detail", org.hamcrest.Matchers.not(containsString("dev.mecgw")));
    }

    @Test
    void shouldServeTheEarlierVersionWhenRolledBack() {
        // given versions 11 and 12 of a model, 12 current
        for (String version : new String[] {"11", "12"}) {
            givenAdmin()
                    .multiPart(
                            "metadata",
                            metadata(version, FileModelRegistry.sha256(MNIST)).replace("digits-rest", "digits-back"))
                    .multiPart("model", "model.onnx", MNIST, "application/octet-stream")
                    .post("/api/v1/models")
                    .then()
                    .statusCode(201);
        }
        givenAdmin()
                .get("/api/v1/models/digits-back/versions")
                .then()
                .statusCode(200)
                .body("", hasItem("11"));

        // when
        givenAdmin()
                .post("/api/v1/models/digits-back/versions/11/activate")
                .then()
                .statusCode(200)
                .body("version", equalTo("11"));

        // then it is current, and an unknown version or model is 404 and changes nothing
        givenAdmin().get("/api/v1/models/digits-back").then().body("version", equalTo("11"));
        givenAdmin()
                .post("/api/v1/models/digits-back/versions/99/activate")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        givenAdmin().get("/api/v1/models/no-such-model/versions").then().statusCode(404);
        givenAdmin().get("/api/v1/models/digits-back").then().body("version", equalTo("11"));
        givenAdmin()
                .get("/api/v1/events?kind=model.activated&limit=1")
                .then()
                .body("items[0].payload.version", equalTo("11"))
                .body("items[0].payload.previous", equalTo("12"))
                .body("items[0].payload.user", equalTo("admin-token"));
    }

    @Test
    void shouldAnswer401WhenTokenIsMissing() {
        given().get("/api/v1/models").then().statusCode(401);
    }

    private static RequestSpecification givenAdmin() {
        return given().header("Authorization", "Bearer " + adminToken());
    }

    static String adminToken() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("mecgw.admin.token", String.class);
    }

    private static String metadata(String version, String sha256) {
        return """
                {"name":"digits-rest","version":"%s","kind":"VISION","head":"CLASSIFICATION","sha256":"%s",
                 "inputs":[{"name":"Input3","shape":[1,1,28,28]}],
                 "outputs":[{"name":"Plus214_Output_0","shape":[1,10]}],
                 "preprocessing":{"width":28,"height":28,"colors":"GRAY","layout":"NCHW","resize":"STRETCH",
                                  "scale":1.0,"mean":[0],"std":[1]},
                 "thresholds":{"topK":3},"labels":["0","1","2","3","4","5","6","7","8","9"]}
                """.formatted(version, sha256);
    }
}

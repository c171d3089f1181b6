package dev.mecgw.app.ota;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;

/** REST fixtures of the OTA component tests: the admin API and stored artifacts. */
final class OtaApi {

    private OtaApi() {}

    /** A JSON request with the admin token. */
    static RequestSpecification givenAdmin() {
        return given().header("Authorization", "Bearer " + token()).contentType(ContentType.JSON);
    }

    /** Stores the content under a fresh name and returns the name. */
    static String givenArtifact(String prefix, byte[] content) {
        String name = prefix + System.nanoTime() + ".bin";
        given().header("Authorization", "Bearer " + token())
                .contentType("application/octet-stream")
                .body(content)
                .put("/api/v1/artifacts/" + name)
                .then()
                .statusCode(201);
        return name;
    }

    private static String token() {
        return ConfigProvider.getConfig().getValue("mecgw.admin.token", String.class);
    }
}

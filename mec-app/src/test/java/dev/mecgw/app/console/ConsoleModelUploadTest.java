package dev.mecgw.app.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import dev.mecgw.app.console.ConsoleLoginTest.Browser;
import dev.mecgw.inference.model.FileModelRegistry;
import dev.mecgw.inference.onnx.TinyModels;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/** Issue 19: an operator uploads a model version on the cameras screen; a viewer and a CSRF-less post cannot. */
@QuarkusTest
class ConsoleModelUploadTest {

    private static final byte[] MNIST = TinyModels.digits(0);

    @Test
    void shouldInstallModelWhenOperatorUploadsIt() {
        // given
        Browser operator = ConsoleScreensTest.givenLoggedIn(ConsoleLoginTest.givenUser("operator"));
        // when
        upload(operator, "4", true).then().statusCode(303);
        // then the cameras screen lists the model's version
        operator.get("/console/cameras")
                .then()
                .statusCode(200)
                .body(containsString("digits-console"), containsString("upload-form"));
    }

    @Test
    void shouldRefuseUploadWhenUserIsViewer() {
        Browser viewer = ConsoleScreensTest.givenLoggedIn(ConsoleLoginTest.givenUser("viewer"));
        viewer.get("/console/cameras")
                .then()
                .statusCode(200)
                .body(org.hamcrest.Matchers.not(containsString("upload-form")));
        upload(viewer, "5", true).then().statusCode(403);
    }

    @Test
    void shouldRefuseUploadWhenCsrfTokenIsMissing() {
        Browser operator = ConsoleScreensTest.givenLoggedIn(ConsoleLoginTest.givenUser("operator"));
        upload(operator, "6", false).then().statusCode(400);
    }

    private static Response upload(Browser browser, String version, boolean withToken) {
        var request = given().redirects()
                .follow(false)
                .cookie(ConsoleAuthFilter.COOKIE, browser.session)
                .cookie(BearerCsrfExemption.CSRF_COOKIE, browser.csrfCookie)
                .multiPart("metadata", metadata(version, FileModelRegistry.sha256(MNIST)))
                .multiPart("model", "model.onnx", MNIST, "application/octet-stream");
        if (withToken) {
            request = request.multiPart("csrf-token", browser.csrfCookie);
        }
        return request.post("/console/cameras/models");
    }

    private static String metadata(String version, String sha256) {
        return """
                {"name":"digits-console","version":"%s","kind":"VISION","head":"CLASSIFICATION","sha256":"%s",
                 "inputs":[{"name":"Input3","shape":[1,1,28,28]}],
                 "outputs":[{"name":"Plus214_Output_0","shape":[1,10]}],
                 "preprocessing":{"width":28,"height":28,"colors":"GRAY","layout":"NCHW","resize":"STRETCH",
                                  "scale":1.0,"mean":[0],"std":[1]},
                 "thresholds":{"topK":3},"labels":["0","1","2","3","4","5","6","7","8","9"]}
                """.formatted(version, sha256);
    }
}

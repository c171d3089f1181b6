package dev.mecgw.cloud.modelrollout.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Review finding: the cloud's body limit had been raised to 80M for every route to admit a model upload. Now the
 * global limit is Quarkus' 10M and only {@code POST /api/v1/model-rollouts} takes more, up to {@code
 * mecgw.cloud.model-rollouts.max-model-bytes} (16 MiB in the test profile), through {@link ModelUploadRoute}, over
 * HTTP/1.1 and over HTTP/2 reached by the JDK client's h2c upgrade (which RESTEasy's request context had turned
 * into a 500, ModelRolloutIT's).
 */
@QuarkusTest
class ModelUploadRouteTest {

    private static final String BOUNDARY = "mecgw-test-boundary";
    private static final long MODEL_LIMIT = 16L << 20;

    @Inject
    AgroalDataSource dataSource;

    @TestHTTPResource("/")
    URI base;

    private final String canary = "u" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void givenAKnownSite() throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO sites (site_id) VALUES (?)")) {
            insert.setString(1, canary);
            insert.executeUpdate();
        }
    }

    @Test
    void shouldRefuseA20MegabyteBodyWhenPostedToAnotherRoute() throws Exception {
        // When a POST to the commands route announces a 20 MB body
        String answer = announce("/api/v1/sites/" + canary + "/devices/d1/commands", "application/json", 20_000_000);

        // Then the global limit refuses it before the body is sent
        assertThat(answer).startsWith("HTTP/1.1 413");
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void shouldAcceptAModelAboveTheGlobalLimitWhenUnderTheModelLimit(HttpClient.Version version) throws Exception {
        // When a 12 MB model (over the global 10M) is uploaded with its rollout, with a known length
        byte[] body = multipart(12_000_000).readAllBytes();
        HttpResponse<String> response = client(version)
                .send(
                        post("api/v1/model-rollouts", "multipart/form-data; boundary=" + BOUNDARY)
                                .POST(BodyPublishers.ofByteArray(body))
                                .build(),
                        BodyHandlers.ofString());

        // Then the rollout is created with the whole model, over the protocol asked for
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(response.version()).isEqualTo(version);
        assertThat(response.body()).contains("\"size\":12000000");
        assertThat(response.headers().firstValue("Location"))
                .hasValueSatisfying(location -> assertThat(location).contains("/api/v1/model-rollouts/"));
    }

    @Test
    void shouldRefuseAModelNamingTheFieldWhenItsLengthIsOverTheLimit() throws Exception {
        // When an upload announces a body over the model limit (and the room for its other part)
        String answer = announce(
                "/api/v1/model-rollouts", "multipart/form-data; boundary=" + BOUNDARY, MODEL_LIMIT + (2 << 20));

        // Then it is refused with problem+json naming the model part before the body is sent
        assertThat(answer)
                .startsWith("HTTP/1.1 413")
                .containsIgnoringCase("content-type: application/problem+json")
                .contains("\"field\":\"model\"");
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void shouldRefuseAModelNamingTheFieldWhenItsStreamGoesOverTheLimit(HttpClient.Version version) throws Exception {
        // When an upload of unknown length (chunked) streams a model one byte over the limit
        HttpResponse<String> response = client(version)
                .send(
                        post("api/v1/model-rollouts", "multipart/form-data; boundary=" + BOUNDARY)
                                .POST(BodyPublishers.ofInputStream(() -> multipart(MODEL_LIMIT + 1)))
                                .build(),
                        BodyHandlers.ofString());

        // Then it is refused with problem+json naming the model part, and no rollout is created
        assertTooLarge(response);
        given().header("Authorization", "Bearer test-admin-token")
                .get("/api/v1/model-rollouts")
                .then()
                .statusCode(200)
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString(canary)));
    }

    @Test
    void shouldRefuseAnUploadWithProblemJsonWhenTheTokenIsMissing() throws Exception {
        // When an upload comes without the admin token
        HttpResponse<String> response = client(HttpClient.Version.HTTP_1_1)
                .send(
                        HttpRequest.newBuilder(base.resolve("api/v1/model-rollouts"))
                                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                                .POST(BodyPublishers.ofByteArray(multipart(1000).readAllBytes()))
                                .build(),
                        BodyHandlers.ofString());

        // Then it is refused as every /api route refuses it
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(response.body()).contains("Missing bearer token");
    }

    @Test
    void shouldReadTheRolloutPartWhenItIsSentAsAFile() {
        // When the rollout part comes as a file (curl -F rollout=@rollout.json) and is not JSON
        given().header("Authorization", "Bearer test-admin-token")
                .multiPart(
                        "rollout",
                        "rollout.json",
                        "{\"metadata\":".getBytes(StandardCharsets.UTF_8),
                        "application/json")
                .multiPart("model", "model.onnx", new byte[10], "application/octet-stream")
                .post("/api/v1/model-rollouts")
                .then()
                // Then its content is what is judged: 400 naming the rollout part
                .statusCode(400)
                .contentType(org.hamcrest.Matchers.containsString("problem+json"))
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("rollout"));
    }

    @Test
    void shouldRefuseNamingTheContentTypeWhenTheBodyIsNotMultipart() {
        given().header("Authorization", "Bearer test-admin-token")
                .contentType("application/json")
                .body("{}")
                .post("/api/v1/model-rollouts")
                .then()
                .statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("Content-Type"));
    }

    private static void assertTooLarge(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.body()).contains("\"field\":\"model\"").contains(String.valueOf(MODEL_LIMIT));
    }

    /** Sends only the head of a POST announcing {@code length} bytes and returns what the server answers. */
    private String announce(String path, String type, long length) throws Exception {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            // A bound on a lost answer, not an assertion on time.
            socket.setSoTimeout(60_000);
            String head = "POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\n"
                    + "Authorization: Bearer test-admin-token\r\nContent-Type: " + type + "\r\n"
                    + "Content-Length: " + length + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            // The server closes the connection after its answer.
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A fresh client per request: HTTP_2 over plain http starts with an h2c upgrade of the very request. */
    private static HttpClient client(HttpClient.Version version) {
        return HttpClient.newBuilder().version(version).build();
    }

    private HttpRequest.Builder post(String path, String type) {
        return HttpRequest.newBuilder(base.resolve(path))
                .header("Authorization", "Bearer test-admin-token")
                .header("Content-Type", type);
    }

    private String rollout(String version) {
        return "{\"metadata\":{\"name\":\"upload-limit\",\"version\":\"" + version + "\",\"kind\":\"SENSOR\"},"
                + "\"selector\":{\"sites\":[\"" + canary + "\"]},"
                + "\"waves\":[{\"name\":\"all\",\"percent\":100}],\"healthWindow\":\"PT10S\"}";
    }

    /** A multipart body: the rollout part, then a model part of {@code modelBytes} zeros. */
    private InputStream multipart(long modelBytes) {
        return new SequenceInputStream(Collections.enumeration(List.of(
                new ByteArrayInputStream(head().getBytes(StandardCharsets.UTF_8)),
                zeros(modelBytes),
                new ByteArrayInputStream(tail().getBytes(StandardCharsets.UTF_8)))));
    }

    private String head() {
        return "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"rollout\"\r\n"
                + "Content-Type: application/json\r\n\r\n" + rollout("13") + "\r\n--" + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"model\"; filename=\"model.onnx\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n";
    }

    private static String tail() {
        return "\r\n--" + BOUNDARY + "--\r\n";
    }

    private static InputStream zeros(long count) {
        return new InputStream() {
            private long left = count;

            @Override
            public int read() {
                if (left == 0) {
                    return -1;
                }
                left--;
                return 0;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(length, left);
                java.util.Arrays.fill(buffer, offset, offset + n, (byte) 0);
                left -= n;
                return n;
            }
        };
    }
}

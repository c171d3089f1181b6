package dev.mecgw.app.ota;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /fw/{name}} with Range, authenticated as the device (issue 18 item 1). */
@QuarkusTest
class FirmwareDownloadResourceTest {

    private static final String PASSWORD = "device-pass-18";
    private static final int CHUNK = 16 * 1024;

    @Inject
    MeterRegistry meters;

    private String device;
    private String artifact;
    private byte[] image;
    private String sha256;

    @BeforeEach
    void givenADeviceOfferedAnImage() throws Exception {
        device = "fw-dev-" + System.nanoTime();
        givenAdmin()
                .body("{\"id\":\"" + device + "\",\"type\":\"sensor\",\"credentials\":{\"password\":\"" + PASSWORD
                        + "\"}}")
                .post("/api/v1/devices")
                .then()
                .statusCode(201);
        image = new byte[200_000];
        new Random(18).nextBytes(image);
        sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(image));
        artifact = givenArtifact(image);
        givenAdmin()
                .body("{\"firmware\":{\"name\":\"" + artifact + "\",\"version\":\"2.0\",\"sha256\":\"" + sha256
                        + "\"}}")
                .put("/api/v1/devices/" + device + "/twin/desired")
                .then()
                .statusCode(200);
    }

    @Test
    void shouldServeTheWholeImageWithItsHashAsETagWhenNoRangeIsAsked() {
        byte[] body = asDevice()
                .get("/fw/" + artifact)
                .then()
                .statusCode(200)
                .header("ETag", "\"" + sha256 + "\"")
                .header("Accept-Ranges", "bytes")
                .header("Content-Length", String.valueOf(image.length))
                .extract()
                .asByteArray();
        assertThat(body).isEqualTo(image);
    }

    @Test
    void shouldServeOnlyTheRangeWhenTheDeviceResumes() {
        byte[] body = asDevice()
                .header("Range", "bytes=150000-")
                .header("If-Range", "\"" + sha256 + "\"")
                .get("/fw/" + artifact)
                .then()
                .statusCode(206)
                .header("Content-Range", "bytes 150000-199999/200000")
                .extract()
                .asByteArray();
        assertThat(body).hasSize(50_000);
        assertThat(body[0]).isEqualTo(image[150_000]);
    }

    @Test
    void shouldSendTheWholeImageWhenIfRangeNamesAnotherImage() {
        asDevice()
                .header("Range", "bytes=150000-")
                .header("If-Range", "\"0000\"")
                .get("/fw/" + artifact)
                .then()
                .statusCode(200)
                .header("Content-Length", "200000");
    }

    @Test
    void shouldAnswer416WhenTheRangeCannotBeServed() {
        asDevice()
                .header("Range", "bytes=200000-")
                .get("/fw/" + artifact)
                .then()
                .statusCode(416)
                .contentType("application/problem+json")
                .header("Content-Range", "bytes */200000");
        asDevice().header("Range", "bytes=9-3").get("/fw/" + artifact).then().statusCode(416);
    }

    @Test
    void shouldRefuseWhenTheCallerIsNotTheDevice() {
        given().get("/fw/" + artifact)
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", startsWith("Basic"))
                .contentType("application/problem+json");
        given().auth()
                .preemptive()
                .basic(device, "wrong-password")
                .get("/fw/" + artifact)
                .then()
                .statusCode(401);
        // The admin token is not a device credential.
        givenAdmin().get("/fw/" + artifact).then().statusCode(401);
    }

    @Test
    void shouldNotServeAnArtifactThatIsNotOfferedToTheDevice() {
        String other = givenArtifact(new byte[] {1, 2, 3});
        asDevice().get("/fw/" + other).then().statusCode(404).body("status", equalTo(404));
        asDevice().get("/fw/no-such.bin").then().statusCode(404);
    }

    @Test
    void shouldResendAtMostOneChunkWhenTheLinkIsCutMidDownload() throws Exception {
        // Given a device that downloads in chunks and whose link drops in the middle of the third one
        double before = servedBytes();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        int chunks = 0;

        // When it resumes each time from the last byte it holds
        while (received.size() < image.length) {
            int cutAfter = chunks == 2 ? 5_000 : Integer.MAX_VALUE;
            received.write(rangeRequest(received.size(), CHUNK, cutAfter));
            chunks++;
        }

        // Then the image is whole and the gateway sent at most one chunk twice
        assertThat(received.toByteArray()).isEqualTo(image);
        assertThat(servedBytes() - before).isLessThanOrEqualTo((double) image.length + CHUNK);
    }

    /** One range request over a raw socket; reads at most {@code cutAfter} body bytes, then drops the link. */
    private byte[] rangeRequest(int from, int chunk, int cutAfter) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            OutputStream out = socket.getOutputStream();
            String basic =
                    Base64.getEncoder().encodeToString((device + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
            out.write(("GET /fw/" + artifact + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic " + basic
                            + "\r\nRange: bytes=" + from + "-" + (from + chunk - 1) + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String head = head(in);
            assertThat(head).startsWith("HTTP/1.1 206");
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            int n;
            while (body.size() < cutAfter
                    && (n = in.read(buffer, 0, Math.min(buffer.length, cutAfter - body.size()))) > 0) {
                body.write(buffer, 0, n);
            }
            // An abrupt reset, as a dropped radio link looks to the gateway.
            socket.setSoLinger(true, 0);
            return body.toByteArray();
        }
    }

    private static String head(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            head.append((char) b);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return head.toString();
    }

    private double servedBytes() {
        return meters.get("mecgw.ota.download.bytes").counter().count();
    }

    private RequestSpecification asDevice() {
        return given().auth().preemptive().basic(device, PASSWORD);
    }

    private static String givenArtifact(byte[] content) {
        return OtaApi.givenArtifact("fw-http-", content);
    }

    private static RequestSpecification givenAdmin() {
        return OtaApi.givenAdmin();
    }
}

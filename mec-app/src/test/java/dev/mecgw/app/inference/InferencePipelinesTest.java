package dev.mecgw.app.inference;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.mecgw.app.ingest.TelemetryIngest;
import dev.mecgw.app.telemetry.Reading;
import dev.mecgw.app.telemetry.TelemetryStore;
import dev.mecgw.inference.camera.CameraPulls;
import dev.mecgw.inference.camera.LocalMjpegCamera;
import dev.mecgw.inference.model.FileModelRegistry;
import dev.mecgw.inference.vision.VisionModels;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
class InferencePipelinesTest {

    // A face detector and a frame built by the tests (issue 16): this class checks the gateway's wiring of frames,
    // cameras and events; inference's FrameAnalyzerTest checks the real UltraFace model on the real image.
    private static final byte[] ULTRAFACE = VisionModels.tinyFacesModel();
    private static final byte[] ASTRONAUT = VisionModels.faceFrame();

    @Inject
    DataSource dataSource;

    @Inject
    TelemetryStore telemetry;

    @Inject
    TelemetryIngest ingest;

    @Inject
    MjpegCameraSources cameraSources;

    @Inject
    CameraPulls cameraPulls;

    @Test
    void shouldStoreDetectionEventWithBoxesWhenFrameIsPosted() {
        // given the face detector installed as the vision model
        givenTheFaceDetectorServing();
        String camera = "cam-" + System.nanoTime();

        // when
        givenAdmin()
                .contentType("image/png")
                .body(ASTRONAUT)
                .post("/api/v1/inference/frames/" + camera)
                .then()
                .statusCode(202);
        givenAdmin()
                .contentType("image/jpeg")
                .body(new byte[] {1, 2, 3})
                .post("/api/v1/inference/frames/" + camera)
                .then()
                .statusCode(202);

        // then
        await().atMost(Duration.ofSeconds(30)).until(() -> count(camera, "inference.detection") == 1);
        assertThat(payload(camera, "inference.detection"))
                .contains("\"label\": \"face\"")
                .contains("\"box\": [")
                .contains("\"thumbnail\": \"" + camera + "/");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> given().header("Authorization", "Bearer " + ModelResourceTest.adminToken())
                                .get("/api/v1/inference/vision/stats")
                                .jsonPath()
                                .getLong("undecodable")
                        >= 1);
    }

    @Test
    void shouldAnalyzeFramesPulledFromACameraStreamAndStopWhenItsUrlIsRemoved() throws Exception {
        // given the face detector, and a camera device whose label names a local MJPEG stream that drops once
        givenTheFaceDetectorServing();
        String camera = "ipcam-" + System.nanoTime();
        byte[] jpeg = LocalMjpegCamera.jpeg(ImageIO.read(new ByteArrayInputStream(ASTRONAUT)));
        try (LocalMjpegCamera stream = new LocalMjpegCamera(0, 3, List.of(jpeg))) {
            givenAdmin()
                    .contentType("application/json")
                    .body("""
                    {"id":"%s","type":"camera","labels":{"mjpeg-url":"%s"}}""".formatted(camera, stream.url(null, null)))
                    .post("/api/v1/devices")
                    .then()
                    .statusCode(201);

            // when
            cameraSources.refresh();

            // then frames become detection rows, and keep doing so over the re-established connection
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> stream.streams() >= 2 && count(camera, "inference.detection") >= 1);
            long afterReconnect = count(camera, "inference.detection");
            await().atMost(Duration.ofSeconds(60)).until(() -> count(camera, "inference.detection") > afterReconnect);

            // when the URL label is removed
            givenAdmin()
                    .contentType("application/json")
                    .body("""
                    {"type":"camera","labels":{}}""")
                    .put("/api/v1/devices/" + camera)
                    .then()
                    .statusCode(200);
            cameraSources.refresh();

            // then the gateway closes the stream
            await().atMost(Duration.ofSeconds(30)).until(() -> stream.clientsGone() == 1);
            assertThat(cameraPulls.cameras()).doesNotContain(camera);
        }
    }

    @Test
    void shouldFitModelOnStoredTelemetryAndRaiseAnomalyEventWhenSpikeArrives() throws Exception {
        // given normal telemetry stored for a device
        String device = "fit-" + System.nanoTime();
        Random random = new Random(3);
        Instant start = Instant.now().minusSeconds(5000);
        List<Reading> normal = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            normal.add(new Reading(device, "temp", start.plusSeconds(i), 21 + random.nextGaussian() * 0.3));
        }
        telemetry.append(normal);

        // when the model is fitted through the REST action
        givenAdmin()
                .contentType("application/json")
                .body("{\"metric\":\"temp\",\"deviceIds\":[\"" + device + "\"]}")
                .post("/api/v1/models/sensor-anomaly/fit")
                .then()
                .statusCode(201)
                .body("kind", equalTo("SENSOR"))
                .body("version", startsWith("fit-"));

        // and live telemetry arrives through the ingest channel (the path MQTT and CoAP readings take)
        List<Reading> live = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            double value = i == 20 ? 35 : 21 + random.nextGaussian() * 0.3;
            live.add(new Reading(device, "temp", start.plusSeconds(3000 + i), value));
        }
        ingest.submit(live).toCompletableFuture().get(30, TimeUnit.SECONDS);

        // then, once committed, the window holding the spike becomes an event and the normal one does not
        await().atMost(Duration.ofSeconds(30)).until(() -> count(device, "inference.anomaly") == 1);
        assertThat(count(device, "inference.anomaly")).isEqualTo(1);
    }

    @Test
    void shouldAnswer400WhenFittingWithoutEnoughTelemetry() {
        givenAdmin()
                .contentType("application/json")
                .body("{\"metric\":\"temp\",\"deviceIds\":[\"nobody-" + System.nanoTime() + "\"]}")
                .post("/api/v1/models/sensor-anomaly/fit")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    private long count(String device, String kind) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT count(*) FROM events WHERE device_id = ? AND kind = ?")) {
            ps.setString(1, device);
            ps.setString(2, kind);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private String payload(String device, String kind) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT payload::text FROM events WHERE device_id = ? AND kind = ?")) {
            ps.setString(1, device);
            ps.setString(2, kind);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Installs the (tiny, UltraFace-shaped) face detector as the vision model unless an earlier test did. */
    private static void givenTheFaceDetectorServing() {
        givenAdmin()
                .multiPart("metadata", ultraFaceMetadata())
                .multiPart("model", "model.onnx", ULTRAFACE, "application/octet-stream")
                .post("/api/v1/models")
                .then()
                .statusCode(anyOf(equalTo(201), equalTo(409)));
    }

    private static RequestSpecification givenAdmin() {
        return given().header("Authorization", "Bearer " + ModelResourceTest.adminToken());
    }

    private static String ultraFaceMetadata() {
        return """
                {"name":"vision","version":"1","kind":"VISION","head":"ULTRAFACE","sha256":"%s",
                 "inputs":[{"name":"input","shape":[1,3,48,64]}],
                 "outputs":[{"name":"scores","shape":[1,1,2]},{"name":"boxes","shape":[1,1,4]}],
                 "preprocessing":{"width":64,"height":48,"colors":"RGB","layout":"NCHW","resize":"STRETCH",
                                  "scale":1.0,"mean":[127],"std":[128],"interpolation":"BILINEAR"},
                 "thresholds":{"score":0.7,"iou":0.3},"labels":["BACKGROUND","face"]}
                """.formatted(FileModelRegistry.sha256(ULTRAFACE));
    }
}

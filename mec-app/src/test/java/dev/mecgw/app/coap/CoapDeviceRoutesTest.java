package dev.mecgw.app.coap;

import static dev.mecgw.app.coap.CoapTestDevices.answered;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.app.coap.app.CoapLifecycle;
import dev.mecgw.app.registry.DeviceRegistry;
import dev.mecgw.app.twin.DesiredTwin;
import dev.mecgw.app.twin.DeviceCommand;
import dev.mecgw.app.twin.DeviceUpdatePublisher;
import dev.mecgw.inference.vision.VisionPipeline;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapHandler;
import org.eclipse.californium.core.CoapObserveRelation;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Observe, twin, Block2 firmware and Block1 frame routes with Californium's client over DTLS. */
@QuarkusTest
class CoapDeviceRoutesTest {

    @Inject
    DeviceRegistry registry;

    @Inject
    CoapLifecycle coap;

    @Inject
    DataSource dataSource;

    @Inject
    DeviceUpdatePublisher updates;

    @Inject
    VisionPipeline vision;

    private CoapTestDevices devices;

    @BeforeEach
    void setUp() {
        devices = new CoapTestDevices(registry, coap, dataSource);
    }

    @AfterEach
    void tearDown() {
        devices.close();
    }

    @Test
    void shouldNotifyOnlyAddressedDeviceWhenCommandIsPublished() throws Exception {
        // given two devices observing /commands
        CoapTestDevices.Device target = devices.givenADevice();
        CoapTestDevices.Device other = devices.givenADevice();
        List<String> targetSees = new CopyOnWriteArrayList<>();
        List<String> otherSees = new CopyOnWriteArrayList<>();
        CoapObserveRelation targetRelation =
                devices.dtls(target.id(), target.psk(), "/commands").observeAndWait(collect(targetSees));
        CoapObserveRelation otherRelation =
                devices.dtls(other.id(), other.psk(), "/commands").observeAndWait(collect(otherSees));

        // when
        updates.publishCommand(new DeviceCommand(
                target.id(), "cmd-1", "reboot", "{\"delay\":5}".getBytes(StandardCharsets.UTF_8), Instant.now()));

        // then
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(targetSees)
                        .anyMatch(p -> p.contains("\"id\":\"cmd-1\"") && p.contains("\"delay\":5")));
        assertThat(otherSees).noneMatch(p -> p.contains("cmd-1"));
        targetRelation.proactiveCancel();
        otherRelation.proactiveCancel();
    }

    @Test
    void shouldNotifyObserverWhenDesiredTwinChanges() throws Exception {
        // given
        CoapTestDevices.Device device = devices.givenADevice();
        List<String> seen = new CopyOnWriteArrayList<>();
        CoapObserveRelation relation =
                devices.dtls(device.id(), device.psk(), "/twin/desired").observeAndWait(collect(seen));

        // when
        updates.publishDesired(new DesiredTwin(device.id(), 7, "{\"interval\":60}".getBytes(StandardCharsets.UTF_8)));

        // then: first the stored (empty) state, then the change
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(seen).startsWith("{}").contains("{\"interval\":60}"));
        relation.proactiveCancel();
    }

    @Test
    void shouldMergeReportedStateWhenDevicePutsTwin() throws Exception {
        // given
        CoapTestDevices.Device device = devices.givenADevice();
        CoapClient client = devices.dtls(device.id(), device.psk(), "/twin/reported");

        // when
        CoapResponse first =
                answered(client.put("{\"fw\":\"1.0\",\"battery\":90}", MediaTypeRegistry.APPLICATION_JSON), "first");
        CoapResponse second = answered(client.put("{\"battery\":80}", MediaTypeRegistry.APPLICATION_JSON), "second");
        CoapResponse invalid = answered(client.put("[1,2]", MediaTypeRegistry.APPLICATION_JSON), "invalid");

        // then
        assertThat(first.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(second.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(invalid.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
        assertThat(devices.count(
                        "SELECT count(*) FROM device_twins WHERE device_id = ?"
                                + " AND reported = '{\"fw\":\"1.0\",\"battery\":80}'::jsonb AND reported_version = 2",
                        device.id()))
                .isEqualTo(1);
    }

    @Test
    void shouldDownloadArtifactByteForByteWhenFetchedWithBlock2() throws Exception {
        // given an artifact uploaded through the REST API
        byte[] image = new byte[50_000 + 123];
        new Random(42).nextBytes(image);
        String name = "fw-" + System.nanoTime() + ".bin";
        String sha256 = given().header("Authorization", "Bearer " + adminToken())
                .contentType("application/octet-stream")
                .body(image)
                .when()
                .put("/api/v1/artifacts/" + name)
                .then()
                .statusCode(201)
                .extract()
                .path("sha256");
        CoapTestDevices.Device device = devices.givenADevice();

        // when
        CoapResponse response =
                answered(devices.dtls(device.id(), device.psk(), "/fw/" + name).get(), "response");

        // then
        assertThat(sha256)
                .isEqualTo(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(image)));
        assertThat(response.getCode()).isEqualTo(ResponseCode.CONTENT);
        assertThat(response.getPayload()).isEqualTo(image);
    }

    @Test
    void shouldAnswerNotFoundWhenArtifactIsUnknown() throws Exception {
        // given
        CoapTestDevices.Device device = devices.givenADevice();

        // when
        CoapResponse response = answered(
                devices.dtls(device.id(), device.psk(), "/fw/missing.bin").get(), "response");

        // then
        assertThat(response.getCode()).isEqualTo(ResponseCode.NOT_FOUND);
    }

    @Test
    void shouldHandFrameToSinkWhenPostedWithBlock1() throws Exception {
        // given
        CoapTestDevices.Device camera = devices.givenADevice("camera");
        byte[] png = noisePng(128, 128);
        long analyzedBefore = analyzed();

        // when: a PNG of several blocks
        CoapResponse response = answered(
                devices.dtls(camera.id(), camera.psk(), "/frames").post(png, MediaTypeRegistry.IMAGE_PNG), "response");
        // and bytes that are no image, and a frame from a sensor (issue 15)
        byte[] noise = new byte[20_000];
        new Random(7).nextBytes(noise);
        CoapResponse notAnImage = answered(
                devices.dtls(camera.id(), camera.psk(), "/frames").post(noise, MediaTypeRegistry.IMAGE_JPEG),
                "notAnImage");
        CoapTestDevices.Device sensor = devices.givenADevice();
        CoapResponse fromASensor = answered(
                devices.dtls(sensor.id(), sensor.psk(), "/frames").post(png, MediaTypeRegistry.IMAGE_PNG),
                "fromASensor");

        // then the frame reaches the vision pipeline whole (with no model installed it counts as failed there)
        assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> analyzed() > analyzedBefore);
        // and the others are refused before decoding
        assertThat(notAnImage.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
        assertThat(fromASensor.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
    }

    private static CoapHandler collect(List<String> into) {
        return new CoapHandler() {
            @Override
            public void onLoad(CoapResponse response) {
                into.add(response.getResponseText());
            }

            @Override
            public void onError() {
                into.add("error");
            }
        };
    }

    static String adminToken() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("mecgw.admin.token", String.class);
    }

    private long analyzed() {
        return vision.stats().processed() + vision.stats().failed();
    }

    private static byte[] noisePng(int width, int height) throws java.io.IOException {
        java.awt.image.BufferedImage image =
                new java.awt.image.BufferedImage(width, height, java.awt.image.BufferedImage.TYPE_INT_RGB);
        Random random = new Random(7);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt());
            }
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}

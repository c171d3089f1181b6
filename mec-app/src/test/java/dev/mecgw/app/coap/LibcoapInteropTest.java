package dev.mecgw.app.coap;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.app.coap.app.CoapLifecycle;
import dev.mecgw.app.registry.CredentialsRequest;
import dev.mecgw.app.registry.DeviceRegistry;
import dev.mecgw.app.registry.DeviceRequest;
import dev.mecgw.app.twin.DeviceCommand;
import dev.mecgw.app.twin.DeviceUpdatePublisher;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interoperability with libcoap's {@code coap-client} (Debian {@code libcoap3-bin}, installed by CI).
 * Skipped when no coap-client with DTLS is installed.
 */
@QuarkusTest
class LibcoapInteropTest {

    /** Printable, so that it can be passed with {@code -k}. */
    private static final String KEY = "interop-secret-16";

    @Inject
    DeviceRegistry registry;

    @Inject
    CoapLifecycle coap;

    @Inject
    DataSource dataSource;

    @Inject
    DeviceUpdatePublisher updates;

    @TempDir
    Path tmp;

    private CoapTestDevices devices;
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void setUp() {
        devices = new CoapTestDevices(registry, coap, dataSource);
    }

    @AfterEach
    void tearDown() {
        processes.forEach(Process::destroyForcibly);
        devices.close();
    }

    @Test
    void shouldStoreTelemetryWhenCoapClientPostsOverDtlsPsk() throws Exception {
        // given
        String device = givenADeviceWithPrintableKey();

        // when
        Result result = run(
                dtlsClient(),
                "-m",
                "post",
                "-u",
                device,
                "-k",
                KEY,
                "-t",
                "50",
                "-e",
                "{\"temp\":22.5}",
                coaps("/telemetry"));

        // then
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(devices.readings(device, "temp")).isEqualTo(1);
    }

    @Test
    void shouldStoreTelemetryWhenCoapClientPostsUnsecured() throws Exception {
        // given: the test profile allows unsecured telemetry
        String device = givenADeviceWithPrintableKey();

        // when
        Result result = run(
                anyClient(),
                "-m",
                "post",
                "-t",
                "50",
                "-e",
                "{\"hum\":41}",
                "coap://127.0.0.1:" + coap.plainAddress().getPort() + "/telemetry/" + device);

        // then
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(devices.readings(device, "hum")).isEqualTo(1);
    }

    @Test
    void shouldDeliverCommandWhenCoapClientObserves() throws Exception {
        // given
        String device = givenADeviceWithPrintableKey();
        Path out = tmp.resolve("observe.out");
        Process observer = new ProcessBuilder(
                        dtlsClient(),
                        "-m",
                        "get",
                        "-s",
                        "20",
                        "-B",
                        "25",
                        "-w",
                        "-u",
                        device,
                        "-k",
                        KEY,
                        coaps("/commands"))
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        processes.add(observer);

        // when: publish until the observation is registered and the notification arrives
        String commandId = "cmd-" + UUID.randomUUID();
        Awaitility.await()
                .atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    updates.publishCommand(new DeviceCommand(
                            device,
                            commandId,
                            "blink",
                            "{\"times\":3}".getBytes(StandardCharsets.UTF_8),
                            Instant.now()));
                    return Files.readString(out).contains(commandId);
                });

        // then
        assertThat(Files.readString(out)).contains("\"name\":\"blink\"", "\"times\":3");
    }

    @Test
    void shouldDownloadArtifactByteForByteWhenCoapClientUsesBlock2() throws Exception {
        // given
        byte[] image = new byte[30_000 + 17];
        new Random(11).nextBytes(image);
        String name = "interop-" + System.nanoTime() + ".bin";
        given().header("Authorization", "Bearer " + CoapDeviceRoutesTest.adminToken())
                .contentType("application/octet-stream")
                .body(image)
                .when()
                .put("/api/v1/artifacts/" + name)
                .then()
                .statusCode(201);
        String device = givenADeviceWithPrintableKey();
        Path out = tmp.resolve("download.bin");

        // when
        Result result = run(
                dtlsClient(),
                "-m",
                "get",
                "-b",
                "1024",
                "-u",
                device,
                "-k",
                KEY,
                "-o",
                out.toString(),
                coaps("/fw/" + name));

        // then
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(image);
    }

    private String givenADeviceWithPrintableKey() {
        String id = "interop-" + UUID.randomUUID().toString().substring(0, 8);
        registry.create(new DeviceRequest(
                id,
                "sensor",
                null,
                null,
                null,
                new CredentialsRequest(null, HexFormat.of().formatHex(KEY.getBytes(StandardCharsets.US_ASCII)), null)));
        return id;
    }

    private String coaps(String path) {
        return "coaps://127.0.0.1:" + coap.dtlsAddress().getPort() + path;
    }

    private Result run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        processes.add(process);
        boolean done = process.waitFor(30, TimeUnit.SECONDS);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(done ? process.exitValue() : -1, output);
    }

    private static String dtlsClient() {
        Optional<String> client = find("coap-client-openssl", "coap-client-gnutls", "coap-client");
        return required(client, "libcoap coap-client with DTLS is not installed");
    }

    private static String anyClient() {
        Optional<String> client = find("coap-client-notls", "coap-client-openssl", "coap-client-gnutls", "coap-client");
        return required(client, "libcoap coap-client is not installed");
    }

    /** CI installs libcoap3-bin (.ci/run) and must run these tests; a developer machine without it skips. */
    private static String required(Optional<String> client, String missing) {
        if ("true".equals(System.getenv("CI"))) {
            org.assertj.core.api.Assertions.assertThat(client).as(missing).isPresent();
        }
        Assumptions.assumeTrue(client.isPresent(), missing);
        return client.get();
    }

    private static Optional<String> find(String... names) {
        String[] path = System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator);
        return Stream.of(names)
                .flatMap(name -> Stream.of(path).map(dir -> Path.of(dir, name)))
                .filter(Files::isExecutable)
                .map(Path::toString)
                .findFirst();
    }

    private record Result(int exit, String output) {}
}

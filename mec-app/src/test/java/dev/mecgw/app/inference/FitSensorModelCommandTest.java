package dev.mecgw.app.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.app.telemetry.Reading;
import dev.mecgw.app.telemetry.TelemetryStore;
import dev.mecgw.inference.model.ModelMetadata;
import dev.mecgw.inference.model.ModelRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@QuarkusTest
class FitSensorModelCommandTest {

    @TestHTTPResource("/")
    URL gateway;

    @Inject
    TelemetryStore telemetry;

    @Inject
    ModelRegistry registry;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void shouldInstallAFittedModelWhenTheDeviceHasStoredTelemetry() {
        // given two hours of normal readings of one device
        String device = "cmd-" + System.nanoTime();
        givenNormalTelemetry(device, 2000);

        // when
        int status = givenACommand(Map.of("MECGW_ADMIN_TOKEN", ModelResourceTest.adminToken()))
                .run(
                        args("--metric", "temp", "--device", device, "--gateway", gateway.toString()),
                        print(out),
                        print(err));

        // then
        assertThat(status).as(err.toString()).isZero();
        ModelMetadata installed = registry.current("sensor-anomaly").orElseThrow();
        assertThat(installed.version()).startsWith("fit-");
        assertThat(out.toString()).contains("Installed sensor-anomaly version " + installed.version());
    }

    @Test
    void shouldExitWithOneAndTheGatewaysReasonWhenTheDeviceHasTooFewReadings() throws Exception {
        // given the token in a file instead of the environment, and a device without telemetry
        Path tokenFile = Files.writeString(dir.resolve("admin-token"), ModelResourceTest.adminToken() + "\n");

        // when
        int status = givenACommand(Map.of())
                .run(
                        args(
                                "--metric",
                                "temp",
                                "--device",
                                "nobody-" + System.nanoTime(),
                                "--gateway",
                                gateway.toString(),
                                "--token-file",
                                tokenFile.toString()),
                        print(out),
                        print(err));

        // then
        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).contains("HTTP 400").contains("are needed");
    }

    @Test
    void shouldExitWithTwoAndPrintUsageWhenRequiredOptionsAreMissing() {
        // when
        int status = givenACommand(Map.of()).run(args("--metric", "temp"), print(out), print(err));

        // then
        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("--device").contains("Usage:");
    }

    private void givenNormalTelemetry(String device, int count) {
        Random random = new Random(5);
        Instant start = Instant.now().minusSeconds(count + 60);
        List<Reading> readings = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            readings.add(new Reading(device, "temp", start.plusSeconds(i), 21 + random.nextGaussian() * 0.3));
        }
        telemetry.append(readings);
    }

    private static FitSensorModelCommand givenACommand(Map<String, String> env) {
        return new FitSensorModelCommand(HttpClient.newHttpClient(), env);
    }

    private static String[] args(String... args) {
        return args;
    }

    private static PrintStream print(ByteArrayOutputStream target) {
        return new PrintStream(target, true, StandardCharsets.UTF_8);
    }
}

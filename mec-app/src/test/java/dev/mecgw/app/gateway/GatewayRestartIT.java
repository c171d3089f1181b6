package dev.mecgw.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Acceptance of issue #2 on the packaged application: start-up to ready, generated admin token, and a device
 * that survives both an orderly restart and a SIGKILL with the same data directory.
 */
class GatewayRestartIT {

    @Test
    void shouldKeepDevicesAndHideSecretsWhenRestartedOrKilled() throws Exception {
        Path dataDir =
                Path.of("target", "it-data", "restart-" + UUID.randomUUID()).toAbsolutePath();
        try (GatewayProcess gateway = new GatewayProcess(dataDir, Map.of())) {
            // given a fresh gateway with a generated token
            gateway.start(List.of());
            Path tokenFile = dataDir.resolve("admin-token");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)))
                    .isEqualTo("rw-------");
            String token = Files.readString(tokenFile).strip();
            assertThat(gateway.logText()).contains(tokenFile.toString()).doesNotContain(token);
            assertThat(gateway.logText())
                    .contains("MEC Gateway started")
                    .contains("data dir")
                    .contains("embedded PostgreSQL");

            // when a device is created and the gateway restarts in order
            HttpResponse<String> created = gateway.post(
                    "/api/v1/devices",
                    token,
                    "{\"id\":\"persist-1\",\"type\":\"sensor\",\"credentials\":{\"password\":\"pw-kept-secret\"}}");
            assertThat(created.statusCode()).isEqualTo(201);
            assertThat(gateway.stop()).isIn(0, 143);
            assertThat(gateway.logText()).contains("Embedded PostgreSQL stopped");
            gateway.start(List.of());

            // then the device is there and its password is not readable
            HttpResponse<String> device = gateway.get("/api/v1/devices/persist-1", token);
            assertThat(device.statusCode()).isEqualTo(200);
            assertThat(device.body()).contains("\"password\":true").doesNotContain("pw-kept-secret");

            // when the gateway is killed without shutdown and started again
            assertThat(gateway.post("/api/v1/devices", token, "{\"id\":\"persist-2\",\"type\":\"sensor\"}")
                            .statusCode())
                    .isEqualTo(201);
            gateway.kill();
            gateway.start(List.of());

            // then both devices survived and the orphaned database was taken over
            assertThat(gateway.get("/api/v1/devices/persist-1", token).statusCode())
                    .isEqualTo(200);
            assertThat(gateway.get("/api/v1/devices/persist-2", token).statusCode())
                    .isEqualTo(200);
            assertThat(gateway.get("/api/v1/devices", null).statusCode()).isEqualTo(401);
            assertThat(gateway.logText()).doesNotContain("pw-kept-secret");
        }
    }
}

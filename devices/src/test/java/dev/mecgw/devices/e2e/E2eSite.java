package dev.mecgw.devices.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One site and its cloud from the packaged jars, as an operator runs them: the cloud with its embedded Kafka and
 * PostgreSQL, and a gateway whose sync points at the bootstrap the cloud prints (its port is chosen here, so both
 * start at once), with real device clients. Used by {@link CloudGatewayIT} and {@link CloudLatencyBench}.
 */
final class E2eSite implements AutoCloseable {

    static final String SITE = "e2e-site";
    private static final String CLOUD_TOKEN = "e2e-cloud-token";
    private static final String GATEWAY_TOKEN = "e2e-gateway-token";
    private static final Duration START = Duration.ofMinutes(5);
    private static final Pattern POSTGRES_PORT =
            Pattern.compile("Embedded PostgreSQL started on 127\\.0\\.0\\.1:(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path work;
    private final int kafkaPort;
    private final AppProcess cloud;
    private final AppProcess gateway;
    private final SiteDevices devices;

    private E2eSite(Path work, int kafkaPort, AppProcess cloud, AppProcess gateway, SiteDevices devices) {
        this.work = work;
        this.kafkaPort = kafkaPort;
        this.cloud = cloud;
        this.gateway = gateway;
        this.devices = devices;
    }

    /**
     * Starts both applications in {@code work} and waits until both are ready.
     *
     * @param repo the repository root, whose {@code cloud} and {@code mec-app} modules were packaged
     * @param gatewayEnv settings of the gateway on top of the ones this site needs
     */
    static E2eSite start(Path repo, Path work, Map<String, String> gatewayEnv) throws Exception {
        int kafkaPort = AppProcess.freeTcpPort();
        int mqttPort = AppProcess.freeTcpPort();
        int dtlsPort = AppProcess.freeUdpPort();
        AppProcess cloud = new AppProcess(
                repo,
                "cloud",
                work.resolve("cloud.log"),
                CLOUD_TOKEN,
                Map.of(
                        "MECGW_CLOUD_DATA_DIR", work.resolve("cloud").toString(),
                        "MECGW_CLOUD_ADMIN_TOKEN", CLOUD_TOKEN,
                        "MECGW_CLOUD_EMBEDDED_KAFKA_PORT", Integer.toString(kafkaPort)));
        Map<String, String> env = new HashMap<>();
        env.put("MECGW_DATA_DIR", work.resolve("gateway").toString());
        env.put("MECGW_SITE_ID", SITE);
        env.put("MECGW_ADMIN_TOKEN", GATEWAY_TOKEN);
        env.put("MECGW_MQTT_HOST", "127.0.0.1");
        env.put("MECGW_MQTT_PORT", Integer.toString(mqttPort));
        env.put("MECGW_COAP_HOST", "127.0.0.1");
        env.put("MECGW_COAP_PORT", "0");
        env.put("MECGW_COAP_DTLS_PORT", Integer.toString(dtlsPort));
        env.put("MECGW_SYNC_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + kafkaPort);
        env.putAll(gatewayEnv);
        AppProcess gateway = new AppProcess(repo, "mec-app", work.resolve("gateway.log"), GATEWAY_TOKEN, env);
        E2eSite site = new E2eSite(work, kafkaPort, cloud, gateway, new SiteDevices(mqttPort, dtlsPort));
        try {
            cloud.start();
            gateway.start();
            cloud.awaitReady(START);
            gateway.awaitReady(START);
            return site;
        } catch (Exception e) {
            site.close();
            throw e;
        }
    }

    /** Registers a device at the gateway with the credentials of {@link SiteDevices}. */
    void register(String id, String type) throws Exception {
        HttpResponse<String> created = gateway.send("POST", "/api/v1/devices", SiteDevices.registration(id, type));
        if (created.statusCode() != 201) {
            throw new IllegalStateException("registering " + id + ": " + created.statusCode() + " " + created.body());
        }
    }

    /** A GET of the cloud's API that must answer 200. */
    JsonNode cloudJson(String path) throws Exception {
        HttpResponse<String> response = cloud.get(path);
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + ": " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** A connection to the cloud's database, as an analyst would open one. */
    Connection cloudDatabase() throws Exception {
        String port = cloud.logged(POSTGRES_PORT).orElseThrow();
        String password = Files.readString(work.resolve("cloud").resolve("postgres-password"))
                .strip();
        try {
            return DriverManager.getConnection(
                    "jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", password);
        } catch (SQLException e) {
            throw new IllegalStateException("cloud database on port " + port, e);
        }
    }

    AppProcess cloud() {
        return cloud;
    }

    AppProcess gateway() {
        return gateway;
    }

    SiteDevices devices() {
        return devices;
    }

    int kafkaPort() {
        return kafkaPort;
    }

    @Override
    public void close() throws Exception {
        // Devices, then the gateway, then the cloud.
        try (AutoCloseable c = cloud;
                AutoCloseable g = gateway;
                AutoCloseable d = devices) {
            // closed in reverse order of the declarations
        }
    }
}

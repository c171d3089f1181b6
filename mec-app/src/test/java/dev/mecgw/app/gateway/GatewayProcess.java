package dev.mecgw.app.gateway;

import static org.awaitility.Awaitility.await;

import dev.mecgw.testsupport.net.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged gateway ({@code target/quarkus-app/quarkus-run.jar}) as a child process, for tests that
 * must restart or kill it. Output goes to a log file next to the data directory. With
 * {@code -Dmecgw.it.native=<path>} the native executable at that path runs instead, with the same options and
 * environment (issue 22 item 3, docs/native.md).
 */
public final class GatewayProcess implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(300);

    /**
     * How long an orderly shutdown may take before the test fails: well past ExitHook's 60 s, so that only a hung
     * shutdown (not a slow one on a loaded machine) ends here instead of in failsafe's fork timeout.
     */
    private static final Duration SHUTDOWN_LIMIT = Duration.ofSeconds(120);

    /** How much of the log's end a failure quotes. */
    private static final int LOG_TAIL_CHARS = 4_000;

    /** System property naming the native executable to test instead of the jar. */
    public static final String NATIVE_PROPERTY = "mecgw.it.native";

    private final Path dataDir;
    private final Path log;
    private final int httpPort;
    private final int mqttPort;
    private final Map<String, String> env;
    private Process process;

    public GatewayProcess(Path dataDir, Map<String, String> env) throws IOException {
        this.dataDir = dataDir;
        this.log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        Files.createDirectories(dataDir.getParent());
        // Below the ephemeral range (FreePorts), and different from each other. The MQTT port is the same for every
        // start of this gateway, as a device would expect; a test's own choice (env) wins.
        int[] ports = FreePorts.tcp(2);
        this.httpPort = ports[0];
        this.mqttPort = ports[1];
        this.env = env;
    }

    /**
     * The environment of a gateway whose devices speak MQTT: the admin token, the MQTT port on 127.0.0.1, and a
     * PBKDF2 cost low enough that registering devices does not dominate the test.
     */
    public static Map<String, String> mqttEnvironment(String adminToken, int mqttPort) {
        return Map.of(
                "MECGW_ADMIN_TOKEN",
                adminToken,
                "MECGW_MQTT_PORT",
                Integer.toString(mqttPort),
                "MECGW_MQTT_HOST",
                "127.0.0.1",
                "MECGW_CREDENTIALS_PBKDF2_ITERATIONS",
                "10000");
    }

    /** Starts the jar and waits until {@code /q/health/ready} answers 200. */
    public void start(List<String> extraArgs) throws Exception {
        List<String> options = new ArrayList<>(List.of("-Dquarkus.http.port=" + httpPort));
        options.addAll(extraArgs);
        ProcessBuilder builder = new ProcessBuilder(command(options))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("MECGW_DATA_DIR", dataDir.toString());
        // Never the default CoAP and MQTT ports: other gateways (another suite's on the same machine) or a broker
        // may hold them. A soak run's GatewayRestartIT found 1883 taken by a run beside it and its gateway exited.
        builder.environment().put("MECGW_COAP_PORT", "0");
        builder.environment().put("MECGW_COAP_DTLS_PORT", "0");
        builder.environment().put("MECGW_COAP_HOST", "127.0.0.1");
        builder.environment().put("MECGW_MQTT_PORT", Integer.toString(mqttPort));
        builder.environment().put("MECGW_MQTT_HOST", "127.0.0.1");
        builder.environment().putAll(env);
        Process started = builder.start();
        process = started;
        // Generous: on a shared CI machine at load 30+ a start took 70 s (issue 14 runs); ready is polled anyway.
        await("gateway ready, see " + log)
                .atMost(STARTUP_LIMIT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!started.isAlive()) {
                        throw new IllegalStateException("Gateway exited with " + started.exitValue() + ", see " + log);
                    }
                    return status("/q/health/ready", null) == 200;
                });
    }

    /** HTTP status of a GET, or -1 when nothing answers. */
    public int status(String path, String token) {
        try {
            return get(path, token).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    public HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        return HTTP.send(request(path, token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String token, String json) throws IOException, InterruptedException {
        return HTTP.send(
                request(path, token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> put(String path, String token, String json) throws IOException, InterruptedException {
        return HTTP.send(
                request(path, token)
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> delete(String path, String token) throws IOException, InterruptedException {
        return HTTP.send(request(path, token).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * SIGTERM and wait: the orderly shutdown path.
     *
     * @throws AssertionError quoting the log's end when the gateway did not exit within {@link #SHUTDOWN_LIMIT}; it
     *     is then killed
     */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(SHUTDOWN_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            kill();
            String text;
            try {
                text = logText();
            } catch (IOException e) {
                text = "(log not readable: " + e.getMessage() + ")";
            }
            throw new AssertionError("Gateway did not stop within " + SHUTDOWN_LIMIT + " of SIGTERM (killed); end of "
                    + log + ":\n" + text.substring(Math.max(0, text.length() - LOG_TAIL_CHARS)));
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook runs, as in a power cut of the JVM. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public String logText() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Process id of the running gateway, e.g. to read its {@code /proc/<pid>/status}. */
    public long pid() {
        return process.pid();
    }

    public int httpPort() {
        return httpPort;
    }

    /** The gateway's data directory ({@code MECGW_DATA_DIR}). */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * A connection to the running gateway's embedded PostgreSQL, as user {@code postgres}: the port is read from the
     * server's {@code postmaster.pid}, not from the log, because a restart may take another port.
     */
    public Connection database() throws IOException, SQLException {
        String password = Files.readString(dataDir.resolve("postgres-password")).strip();
        // postmaster.pid: pid, data directory, start time, port, ... (PostgreSQL's pidfile.h)
        String port = Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid"))
                .get(3)
                .strip();
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", password);
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            stop();
        }
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(10));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    /**
     * The command line that runs the packaged gateway with these {@code -D} options: {@code java <options> -jar
     * target/quarkus-app/quarkus-run.jar}, or {@code <runner> <options>} when {@value #NATIVE_PROPERTY} names a
     * native executable (it takes {@code -D} options as the JVM does).
     *
     * @throws IllegalStateException when the jar or the named executable is missing
     */
    public static List<String> command(List<String> options) {
        String runner = System.getProperty(NATIVE_PROPERTY, "");
        List<String> command = new ArrayList<>();
        if (runner.isBlank()) {
            command.add(javaBinary());
            command.addAll(options);
            command.addAll(List.of("-jar", jar().toString()));
        } else {
            Path executable = Path.of(runner).toAbsolutePath();
            if (!Files.isExecutable(executable)) {
                throw new IllegalStateException(NATIVE_PROPERTY + "=" + runner
                        + " is not an executable: build it with -Pnative (docs/native.md)");
            }
            command.add(executable.toString());
            command.addAll(options);
        }
        return command;
    }

    private static Path jar() {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " missing: run the package phase first (./mvnw verify)");
        }
        return jar;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}

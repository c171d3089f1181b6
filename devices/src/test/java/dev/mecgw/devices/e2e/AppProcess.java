package dev.mecgw.devices.e2e;

import static org.awaitility.Awaitility.await;

import dev.mecgw.testsupport.net.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One packaged Quarkus application of this repository ({@code <module>/target/quarkus-app/quarkus-run.jar}) as a
 * child process with its own environment, HTTP port and log file, called over its REST API with a Bearer token. With
 * {@code -Dmecgw.it.native=<path>} the gateway ({@code mec-app}) runs as that native executable instead, with the
 * same options and environment (issue 22 item 3, docs/native.md); the cloud stays a jar.
 */
final class AppProcess implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final List<String> launcher;
    private final Path log;
    private final int httpPort;
    private final String token;
    private final Map<String, String> env;
    private Process process;

    /**
     * @param repo the repository root (the reactor built the jar before this module's tests)
     * @param module {@code mec-app} or {@code cloud}
     * @param log where stdout and stderr go
     * @param token the admin token the application is configured with
     * @param env its environment on top of this JVM's (the HTTP port is added)
     */
    AppProcess(Path repo, String module, Path log, String token, Map<String, String> env) throws IOException {
        this.name = module;
        this.launcher = launcher(repo, module);
        this.log = log;
        this.httpPort = freeTcpPort();
        this.token = token;
        this.env = env;
    }

    /** Starts the jar (or the native gateway); {@link #awaitReady} waits for it. */
    void start() throws IOException {
        // The launcher's executable, the options, then what follows them (-jar <jar> for a jar).
        List<String> command =
                new ArrayList<>(List.of(launcher.get(0), "-Xmx512m", "-Djava.io.tmpdir=" + log.getParent()));
        command.addAll(launcher.subList(1, launcher.size()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
        process = builder.start();
    }

    /** Waits until {@code /q/health/ready} answers 200; fails early, naming the log, when the process exits. */
    void awaitReady(Duration limit) {
        Process started = process;
        // A child process's readiness has no event to wait on: it is polled, and the wait ends as soon as it answers.
        await(name + " ready, see " + log)
                .atMost(limit)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!started.isAlive()) {
                        throw new IllegalStateException(name + " exited with " + started.exitValue() + ", see " + log);
                    }
                    return ready();
                });
    }

    private boolean ready() throws InterruptedException {
        try {
            return get("/q/health/ready").statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        }
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(String method, String path, String json) throws IOException, InterruptedException {
        return HTTP.send(
                request(path)
                        .header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Sends raw bytes (an artifact upload) with the admin token. */
    HttpResponse<String> put(String path, String contentType, byte[] body) throws IOException, InterruptedException {
        return HTTP.send(
                request(path)
                        .header("Content-Type", contentType)
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * SIGKILL: no shutdown hook runs, as in a power cut of the JVM; its embedded PostgreSQL is left running and the
     * next {@link #start} (same environment, ports and data directory) takes it over.
     */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** The loopback HTTP port the application listens on. */
    int httpPort() {
        return httpPort;
    }

    /** The first group of {@code pattern} in the log so far, if it matched. */
    Optional<String> logged(Pattern pattern) throws IOException {
        Matcher matcher = pattern.matcher(logText());
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    String logText() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            // SIGTERM: the orderly path (the cloud stops its embedded Kafka and PostgreSQL); then no mercy.
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + token);
    }

    /**
     * What starts the module, before the options: {@code java} and, after the options, {@code -jar <jar>}; or the
     * native executable that {@code mecgw.it.native} names for {@code mec-app} (it takes {@code -Xmx} and {@code -D}
     * options as the JVM does).
     */
    private static List<String> launcher(Path repo, String module) {
        String runner = System.getProperty("mecgw.it.native", "");
        if (module.equals("mec-app") && !runner.isBlank()) {
            Path executable = Path.of(runner).toAbsolutePath();
            if (!Files.isExecutable(executable)) {
                throw new IllegalStateException("mecgw.it.native=" + runner + " is not an executable (docs/native.md)");
            }
            return List.of(executable.toString());
        }
        Path jar = repo.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " missing: run the package phase first (./mvnw verify)");
        }
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString());
    }

    /** A TCP port free now for an application started later ({@link FreePorts}: not from the ephemeral range). */
    static int freeTcpPort() throws IOException {
        return FreePorts.tcp();
    }

    /** A UDP port free now for an application started later. */
    static int freeUdpPort() throws IOException {
        return FreePorts.udp();
    }
}

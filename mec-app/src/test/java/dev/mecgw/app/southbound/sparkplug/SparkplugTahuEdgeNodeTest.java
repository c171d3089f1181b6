package dev.mecgw.app.southbound.sparkplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.mecgw.app.telemetry.Reading;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Issue 21.5, Sparkplug against an independent implementation: Eclipse Tahu's JavaScript edge node
 * ({@code sparkplug-client} 3.2.4 on Node.js) connects to the real broker, publishes births with aliases and data by
 * alias, loses a sequence number, receives the gateway's rebirth request, is born again and dies. The package is
 * taken from {@code MECGW_SPARKPLUG_JS_DIR} (a folder with {@code node_modules/sparkplug-client}, filled by CI) or
 * installed with npm into {@code target/sparkplug-js}; without Node.js or the package the test is skipped, except
 * under {@code CI=true}, where it fails.
 */
class SparkplugTahuEdgeNodeTest {

    private static final String PACKAGE = "sparkplug-client@3.2.4";
    private static final String GROUP = "plant-js";
    private static final String NODE = "edge-js";

    private SparkplugBroker broker;

    @AfterEach
    void tearDown() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldDecodeAliasesAskForRebirthAndSeeDeathWhenTahuEdgeNodePublishes() throws Exception {
        // given the real broker with a registered edge node, and Tahu's JavaScript edge node
        Path modules = givenTahuJavaScriptClient();
        broker = SparkplugBroker.givenABroker();
        broker.givenAnEdgeNode(NODE, GROUP);

        // when the script runs its births, data, gap, rebirth and death
        Map<String, String> env = Map.of(
                "SPARKPLUG_URL",
                "mqtt://127.0.0.1:" + broker.port(),
                "SPARKPLUG_NODE",
                NODE,
                "SPARKPLUG_PASSWORD",
                SparkplugBroker.PASSWORD,
                "SPARKPLUG_GROUP",
                GROUP,
                "NODE_PATH",
                modules.toString());
        ProcessBuilder builder = new ProcessBuilder("node", script().toString()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process script = builder.start();
        List<String> lines = lines(script.getInputStream());
        assertThat(script.waitFor(60, TimeUnit.SECONDS)).isTrue();

        // then the node saw its rebirth request, and the gateway stored what it sent under the births' names
        assertThat(lines).containsSubsequence("BIRTH 1", "GAP", "REBIRTH", "BIRTH 2", "DEATH");
        assertThat(script.exitValue()).as(String.join("\n", lines)).isZero();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(broker.readings)
                        .extracting(Reading::deviceId, Reading::metric, Reading::value, Reading::kind)
                        .contains(
                                tuple(NODE, "Temperature", 21.25, Reading.Kind.NUMBER),
                                tuple(NODE, "Temperature", 22.5, Reading.Kind.NUMBER),
                                tuple(NODE, "Running", 1.0, Reading.Kind.BOOLEAN),
                                tuple(NODE + ":pump-3", "Speed", 1500.0, Reading.Kind.NUMBER),
                                tuple(NODE + ":pump-3", "Speed", 1510.0, Reading.Kind.NUMBER)));
        assertThat(broker.readings).extracting(Reading::metric).doesNotContain("Firmware", "bdSeq");
        assertThat(broker.devices.byId).containsKey(NODE + ":pump-3");
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(broker.devices.online)
                        .containsEntry(NODE, false)
                        .containsEntry(NODE + ":pump-3", false));
    }

    /** The {@code node_modules} folder holding sparkplug-client, or a skip (a failure under CI=true). */
    private static Path givenTahuJavaScriptClient() throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        if (!runs(Path.of("."), "node", "--version")) {
            skip(ci, "Node.js is not installed");
        }
        String configured = System.getenv("MECGW_SPARKPLUG_JS_DIR");
        Path dir = configured != null ? Path.of(configured) : Path.of("target", "sparkplug-js");
        Path modules = dir.toAbsolutePath().resolve("node_modules");
        if (!Files.isDirectory(modules.resolve("sparkplug-client"))) {
            Files.createDirectories(dir);
            runs(
                    dir,
                    "npm",
                    "install",
                    "--no-audit",
                    "--no-fund",
                    "--prefix",
                    dir.toAbsolutePath().toString(),
                    PACKAGE);
        }
        if (!Files.isDirectory(modules.resolve("sparkplug-client"))) {
            skip(ci, PACKAGE + " is not installed in " + dir + " and npm could not install it");
        }
        return modules;
    }

    private static void skip(boolean ci, String why) {
        if (ci) {
            throw new AssertionError(why + " (required under CI=true)");
        }
        Assumptions.abort(why);
    }

    private static boolean runs(Path dir, String... command) {
        try {
            Process process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Path script() throws Exception {
        return Path.of(SparkplugTahuEdgeNodeTest.class
                .getResource("/sparkplug/edge-node.js")
                .toURI());
    }

    /** Reads the script's output until it ends (the script exits by itself, at the latest after 30 s). */
    private static List<String> lines(InputStream output) throws IOException {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
            return reader.lines().toList();
        }
    }
}

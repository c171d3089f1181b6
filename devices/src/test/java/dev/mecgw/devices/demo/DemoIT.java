package dev.mecgw.devices.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.testsupport.net.FreePorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: runs {@code scripts/demo.sh} for about 90 s, as a newcomer would after the build, and checks what the
 * demo promises: every registered device and their events in the cloud application (read from its fleet API), an
 * anomaly raised for the faulty sensor, a command sent through the cloud API acknowledged by the device, the
 * backhaul cut and its backlog drained, the gateway's first-start hints, a clean exit and no process left behind.
 * The demo runs in its own session (setsid) so that every process it started can be found by its process group
 * afterwards; the pids it reports are checked one by one too.
 */
class DemoIT {

    private static final Pattern RESULT = Pattern.compile("RESULT (.*)");
    private static final Pattern STARTED = Pattern.compile("started (\\S+) \\(pid (\\d+)\\)");
    /** A port the demo announces in its "starting the …" lines (the 4- or 5-digit numbers; not the 127.0.0.1). */
    private static final Pattern PORT = Pattern.compile("\\b\\d{4,5}\\b");

    @Test
    void shouldShowTheWholeFlowAndLeaveNothingRunningWhenTheDemoStopsByItself() throws Exception {
        // given the repository with the jars the reactor just built, and a fresh work folder
        Path repo = Path.of(System.getProperty("mecgw.repo.root", ".."))
                .toAbsolutePath()
                .normalize();
        Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "demo-it");
        Files.delete(work);
        ProcessBuilder builder = new ProcessBuilder("setsid", "bash", "scripts/demo.sh")
                .directory(repo.toFile())
                .redirectErrorStream(true)
                .redirectOutput(work.resolveSibling(work.getFileName() + ".log").toFile());
        Map<String, String> env = builder.environment();
        env.put("DEMO_SECONDS", "90");
        env.put("DEMO_DIR", work.toString());

        // when
        Process demo = builder.start();
        long pgid = demo.pid();
        boolean finished = demo.waitFor(15, TimeUnit.MINUTES);
        String output = Files.readString(work.resolveSibling(work.getFileName() + ".log"), StandardCharsets.UTF_8);
        if (!finished) {
            kill(pgid);
        }

        // then it stopped by itself, successfully
        assertThat(finished)
                .as("demo finished within 15 min; output:%n%s", output)
                .isTrue();
        // and every port it gave the apps lies below the kernel's ephemeral range: an outgoing connection elsewhere
        // on the machine took the gateway's MQTT port, picked from that range, before the gateway bound it (12-07)
        assertThat(announcedPorts(output))
                .as("ports the demo picked, below the ephemeral range from %d", FreePorts.ephemeralRangeStart())
                .hasSizeGreaterThanOrEqualTo(7)
                .allMatch(port -> port < FreePorts.ephemeralRangeStart());
        assertThat(demo.exitValue()).as("exit code; output:%n%s", output).isZero();
        Map<String, String> result = result(output);
        assertThat(result.get("registered")).as("devices the demo registered").isEqualTo("26");
        assertThat(result.get("devices"))
                .as("registered devices with a row in the cloud")
                .isEqualTo(result.get("registered"));
        assertThat(Long.parseLong(result.get("events")))
                .as("event rows in the cloud")
                .isPositive();
        assertThat(Long.parseLong(result.get("anomalies")))
                .as("anomalies of the faulty sensor")
                .isPositive();
        assertThat(Long.parseLong(result.get("cuts"))).as("backhaul cuts").isPositive();
        assertThat(Long.parseLong(result.get("max_backlog")))
                .as("backlog during the cut")
                .isPositive();
        assertThat(result.get("drained")).as("backlog drained after the cut").isEqualTo("true");
        assertThat(result.get("command"))
                .as("the cloud's mirror of its command's status")
                .isEqualTo("acknowledged");
        assertThat(output)
                .contains("sensor anomaly model fitted")
                .contains("backhaul cut for")
                .contains("backhaul restored")
                .contains("cloud API: command blink")
                .contains("cloud API           : curl");
        // and the cloud application ran, giving gateways the backhaul link as their bootstrap
        assertThat(Files.readString(work.resolve("logs/cloud.log")))
                .contains("MEC Gateway cloud ready")
                .containsPattern("MECGW_SYNC_KAFKA_BOOTSTRAP_SERVERS=127\\.0\\.0\\.1:\\d+");
        assertThat(Files.readString(work.resolve("logs/backhaul.log"))).contains("backhaul cut", "backhaul restored");
        // and the gateway's first start taught what to do next (item 4): list devices, get a model
        assertThat(Files.readString(work.resolve("logs/gateway.log")))
                .contains("list devices   : curl -H \"Authorization: Bearer $(cat ")
                .contains("/api/v1/devices")
                .contains("models         : none installed");
        // and nothing it started is left running
        Map<String, Long> started = started(output);
        assertThat(started).containsOnlyKeys("backhaul", "cloud", "gateway", "devices");
        started.forEach((name, pid) -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
                .as("%s (pid %d) still running", name, pid)
                .isNotEqualTo(Optional.of(true)));
        assertThat(leftovers(pgid, work)).as("processes left behind").isEmpty();
    }

    private static List<Integer> announcedPorts(String output) {
        List<Integer> ports = new ArrayList<>();
        output.lines().filter(line -> line.contains("] starting the ")).forEach(line -> {
            Matcher matcher = PORT.matcher(line);
            while (matcher.find()) {
                ports.add(Integer.parseInt(matcher.group()));
            }
        });
        return ports;
    }

    private static Map<String, String> result(String output) {
        Matcher matcher = RESULT.matcher(output);
        assertThat(matcher.find()).as("RESULT line in output:%n%s", output).isTrue();
        Map<String, String> values = new HashMap<>();
        for (String pair : matcher.group(1).trim().split(" ")) {
            String[] kv = pair.split("=", 2);
            values.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        return values;
    }

    /** @return the processes the demo reported starting, by name */
    private static Map<String, Long> started(String output) {
        Map<String, Long> pids = new HashMap<>();
        Matcher matcher = STARTED.matcher(output);
        while (matcher.find()) {
            pids.put(matcher.group(1), Long.parseLong(matcher.group(2)));
        }
        return pids;
    }

    /** Processes still in the demo's process group, or naming its work folder (e.g. a database it started). */
    private static List<String> leftovers(long pgid, Path work) throws IOException, InterruptedException {
        Process ps = new ProcessBuilder("ps", "-e", "-o", "pgid=,pid=,args=").start();
        String table = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        ps.waitFor();
        return table.lines()
                .map(String::trim)
                .filter(line -> line.startsWith(pgid + " ") || line.contains(work.toString()))
                .filter(line -> !line.contains(" ps -e -o "))
                .toList();
    }

    private static void kill(long pgid) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-KILL", "--", "-" + pgid).start().waitFor();
    }
}

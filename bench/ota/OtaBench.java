import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.devices.SimulatedDevice;
import dev.mecgw.devices.app.SimulatorOptions;
import dev.mecgw.devices.app.SiteSimulator;
import dev.mecgw.devices.firmware.FirmwareAgent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Driver of bench/ota (issue 18), run with the Java source launcher on the device simulator's jar: starts a fleet of
 * simulated sensors of one transport (MQTT devices download over HTTP Range, CoAP devices over Block2), waits until
 * every one sends telemetry, then starts a one-wave rollout of the artifact the script uploaded and measures how long
 * the fleet takes to run the new version, the gateway's CPU and RSS meanwhile, and the bytes sent per device.
 *
 * <pre>
 * OtaBench api token-file mqtt-port coaps-port mqtt|coap devices artifact image-bytes gateway-pid data-dir
 * </pre>
 *
 * System properties: {@code ota.rate} readings/s per device (0.2), {@code ota.health} health window (PT10S),
 * {@code ota.timeout} give up after (PT25M). Prints {@code SAMPLE} lines every 5 s and one {@code RESULT} line.
 */
public class OtaBench {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final long TICKS = 100; // USER_HZ of /proc/<pid>/stat on Linux
    static final long PAGE = 4096;

    public static void main(String[] args) throws Exception {
        String api = args[0];
        String token = Files.readString(Path.of(args[1])).trim();
        String transport = args[4];
        int devices = Integer.parseInt(args[5]);
        String artifact = args[6];
        long imageBytes = Long.parseLong(args[7]);
        long gatewayPid = Long.parseLong(args[8]);
        String dataDir = args[9];
        String rate = System.getProperty("ota.rate", "0.2");
        String health = System.getProperty("ota.health", "PT10S");
        Duration timeout = Duration.parse(System.getProperty("ota.timeout", "PT25M"));
        boolean mqtt = transport.equals("mqtt");
        String prefix = "ota" + transport;

        long setup = System.nanoTime();
        SiteSimulator fleet = new SiteSimulator(
                SimulatorOptions.parse(
                        "--gateway", "127.0.0.1",
                        "--mqtt-port", args[2],
                        "--coaps-port", args[3],
                        "--api", api,
                        "--token-file", args[1],
                        "--mqtt", Integer.toString(mqtt ? devices : 0),
                        "--coap", Integer.toString(mqtt ? 0 : devices),
                        "--rate", rate,
                        "--prefix", prefix),
                Clock.systemUTC());
        try {
            fleet.start();
            if (fleet.firmware(fleet.devices().get(0).id()).isEmpty()) {
                throw new IllegalStateException("the gateway offered no signing key");
            }
            // Every device online and past its second reading: MQTT subscribed to its desired twin, CoAP observing
            // it (the observation starts on the first tick), and a telemetry baseline for the health gate. Devices
            // that do not get there (no progress for a minute, or 10 minutes in all) stay out of the rollout and are
            // reported as not_ready: a stuck connection is a finding, not a reason to measure nothing.
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            long ready = 0, lastProgress = System.nanoTime();
            while (true) {
                long now = fleet.devices().stream()
                        .filter(d -> d.counters().acknowledged.get() >= 2)
                        .count();
                if (now > ready) {
                    ready = now;
                    lastProgress = System.nanoTime();
                }
                boolean stalled = System.nanoTime() - lastProgress > 60_000_000_000L && ready >= devices * 0.9;
                if (ready == devices || stalled || System.nanoTime() > deadline) {
                    break;
                }
                Thread.sleep(500);
            }
            List<String> members = fleet.devices().stream()
                    .filter(d -> d.counters().acknowledged.get() >= 2)
                    .map(SimulatedDevice::id)
                    .toList();
            if (members.isEmpty()) {
                throw new IllegalStateException("no device sent telemetry in 10 min");
            }
            List<FirmwareAgent> agents = members.stream()
                    .map(id -> fleet.firmware(id).orElseThrow())
                    .toList();
            int notReady = devices - members.size();
            System.out.printf("fleet of %d %s devices registered and sending after %.1f s (%d not ready: left out)%n",
                    devices, transport, (System.nanoTime() - setup) / 1e9, notReady);
            double bytesBefore = downloadBytes(api, token, mqtt ? "http" : "coap");
            Cpu cpu = new Cpu(gatewayPid, dataDir);
            long rssBefore = rssKib(gatewayPid);

            String body = "{\"artifact\":\"" + artifact + "\",\"version\":\"2.0\","
                    + "\"selector\":{\"type\":\"sensor\",\"labels\":{\"simulated\":\"true\"}},"
                    + "\"waves\":[{\"name\":\"all\",\"devices\":" + JSON.writeValueAsString(members) + "}],"
                    + "\"successThreshold\":0.95,\"errorThreshold\":{\"percent\":5,\"minDevices\":3},"
                    + "\"healthWindow\":\"" + health + "\",\"deviceTimeout\":\"PT20M\",\"onWaveSuccess\":\"next\"}";
            long start = System.nanoTime();
            HttpResponse<String> created = send(api, token, "POST", "/api/v1/rollouts", body);
            double createSeconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("rollout created in %.1f s%n", createSeconds);
            if (created.statusCode() != 201) {
                throw new IllegalStateException("rollout refused: " + created.statusCode() + " " + created.body());
            }
            String id = JSON.readTree(created.body()).path("id").asText();

            double firstInstalled = -1, allInstalled = -1, settled = -1;
            long rssPeak = rssBefore;
            double cpuPeak = 0, livePeak = 0;
            String state = "running";
            JsonNode view = null;
            long nextSample = start, nextPoll = start;
            double[] window = cpu.sample();
            while (true) {
                long now = System.nanoTime();
                double t = (now - start) / 1e9;
                long installed = agents.stream().filter(a -> "2.0".equals(a.version())).count();
                if (installed > 0 && firstInstalled < 0) {
                    firstInstalled = t;
                }
                if (installed == members.size() && allInstalled < 0) {
                    allInstalled = t;
                }
                if (now >= nextPoll) {
                    nextPoll = now + 2_000_000_000L;
                    view = JSON.readTree(send(api, token, "GET", "/api/v1/rollouts/" + id, null).body());
                    state = view.path("state").asText();
                }
                if (now >= nextSample || !state.equals("running")) {
                    nextSample = now + 5_000_000_000L;
                    double[] sample = cpu.sample();
                    double span = Math.max(1e-9, (sample[3] - window[3]) / 1e9);
                    double gw = (sample[0] - window[0]) / span, pg = (sample[1] - window[1]) / span;
                    double sim = (sample[2] - window[2]) / span;
                    window = sample;
                    long rss = rssKib(gatewayPid);
                    rssPeak = Math.max(rssPeak, rss);
                    if (t > 1) {
                        cpuPeak = Math.max(cpuPeak, gw);
                    }
                    // Live heap after the last GC: RSS of a JVM grows to its heap limit on garbage alone.
                    double live = metric(api, token, "jvm_gc_live_data_size_bytes");
                    livePeak = Math.max(livePeak, live);
                    System.out.printf(
                            "SAMPLE t=%.0f installed=%d state=%s counts=%s gateway_cpu=%.2f postgres_cpu=%.2f"
                                    + " devices_cpu=%.2f gateway_rss_mib=%.0f heap_live_mib=%.0f load=%s%n",
                            t, installed, state, view == null ? "{}" : view.path("waves").path(0).path("counts"),
                            gw, pg, sim, rss / 1024.0, live / (1 << 20), loadAverage());
                }
                if (!state.equals("running") && !state.equals("paused")) {
                    settled = t;
                    break;
                }
                if (now - start > timeout.toNanos()) {
                    System.out.println("TIMEOUT after " + timeout + ": rollout still " + state);
                    break;
                }
                Thread.sleep(200);
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            double[] total = cpu.since();
            double sent = downloadBytes(api, token, mqtt ? "http" : "coap") - bytesBefore;
            int n = members.size();
            long received = fleet.devices().stream()
                    .mapToLong(d -> d.counters().firmwareBytes.get())
                    .sum();
            long maxReceived = fleet.devices().stream()
                    .mapToLong(d -> d.counters().firmwareBytes.get())
                    .max()
                    .orElse(0);
            long onNew = agents.stream().filter(a -> "2.0".equals(a.version())).count();
            printErrors(view);
            System.out.printf(
                    "RESULT transport=%s devices=%d not_ready=%d image_bytes=%d state=%s on_new=%d create_s=%.1f first_s=%.1f all_installed_s=%.1f"
                            + " settled_s=%.1f devices_per_s=%.2f gateway_sent_per_device=%.0f sent_ratio=%.4f"
                            + " device_received_max_ratio=%.4f received_ratio=%.4f gateway_cpu_mean=%.2f"
                            + " gateway_cpu_peak5s=%.2f postgres_cpu_mean=%.2f devices_cpu_mean=%.2f"
                            + " rss_before_mib=%.0f rss_peak_mib=%.0f rss_after_mib=%.0f heap_live_peak_mib=%.0f"
                            + " heap_live_after_mib=%.0f%n",
                    transport, n, notReady, imageBytes, state, onNew, createSeconds, firstInstalled, allInstalled, settled,
                    allInstalled > 0 ? n / allInstalled : onNew / elapsed,
                    sent / n, sent / n / imageBytes,
                    (double) maxReceived / imageBytes, (double) received / n / imageBytes,
                    total[0] / elapsed, cpuPeak, total[1] / elapsed, total[2] / elapsed,
                    rssBefore / 1024.0, rssPeak / 1024.0, rssKib(gatewayPid) / 1024.0, livePeak / (1 << 20),
                    metric(api, token, "jvm_gc_live_data_size_bytes") / (1 << 20));
        } finally {
            fleet.close();
        }
        // The MQTT client library's shared event loop threads are not daemons.
        System.exit(0);
    }

    /** Devices of the rollout's view per error text, so that refusals and timeouts show up by name. */
    static void printErrors(JsonNode view) {
        if (view == null) {
            return;
        }
        Map<String, Integer> errors = new TreeMap<>();
        for (JsonNode wave : view.path("waves")) {
            for (JsonNode device : wave.path("devices")) {
                String error = device.path("error").asText("");
                if (!error.isEmpty()) {
                    errors.merge(device.path("state").asText() + ": " + error, 1, Integer::sum);
                }
            }
        }
        errors.forEach((error, n) -> System.out.println("ERRORS " + n + " x " + error));
        System.out.println("ROLLOUT reason=" + view.path("reason").asText() + " counts=" + view.path("waves").path(0)
                .path("counts"));
    }

    /** The gateway's meter mecgw.ota.download.bytes for one transport (Prometheus text), 0 when absent. */
    static double downloadBytes(String api, String token, String transport) throws Exception {
        String text = send(api, token, "GET", "/q/metrics", null).body();
        Matcher m = Pattern.compile("(?m)^mecgw_ota_download_bytes_total\\{[^}]*transport=\"" + transport
                        + "\"[^}]*} ([0-9.eE+]+)")
                .matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** The first sample of an untagged-or-tagged gauge in the gateway's Prometheus text, 0 when absent. */
    static double metric(String api, String token, String name) throws Exception {
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*})? ([0-9.eE+]+)")
                .matcher(send(api, token, "GET", "/q/metrics", null).body());
        return m.find() ? Double.parseDouble(m.group(2)) : 0;
    }

    static HttpResponse<String> send(String api, String token, String method, String path, String json)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + path))
                // Creating a rollout of 1,000 devices took over a minute on the loaded machine.
                .timeout(Duration.ofMinutes(10))
                .header("Authorization", "Bearer " + token);
        if (json != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static long rssKib(long pid) throws Exception {
        // Field 24 of /proc/<pid>/stat is the resident set in pages; /proc/<pid>/status says the same as VmRSS.
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }

    static String loadAverage() throws Exception {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    /**
     * CPU seconds from /proc/[pid]/stat (utime + stime, fields 14 and 15): the gateway JVM, its embedded PostgreSQL
     * (the postmaster and backends, found by the data directory in their command line: pg_ctl detaches them from
     * the JVM) and this JVM, the simulated devices.
     */
    static final class Cpu {
        final long gatewayPid;
        final String dataDir;
        final double[] start;

        Cpu(long gatewayPid, String dataDir) throws Exception {
            this.gatewayPid = gatewayPid;
            this.dataDir = dataDir;
            this.start = sample();
        }

        /** {gateway, postgres, devices} CPU seconds and the sample's nanoTime. */
        double[] sample() throws Exception {
            double postgres = ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine()
                            .map(c -> c.contains(dataDir) && c.contains("postgres"))
                            .orElse(false))
                    .mapToDouble(p -> seconds(p.pid()) + p.descendants().mapToDouble(d -> seconds(d.pid())).sum())
                    .sum();
            return new double[] {seconds(gatewayPid), postgres, seconds(ProcessHandle.current().pid()), System.nanoTime()};
        }

        /** CPU seconds per process since construction. */
        double[] since() throws Exception {
            double[] now = sample();
            return new double[] {now[0] - start[0], now[1] - start[1], now[2] - start[2]};
        }

        static double seconds(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) TICKS;
            } catch (Exception e) {
                return 0; // the process ended between listing and reading
            }
        }
    }
}

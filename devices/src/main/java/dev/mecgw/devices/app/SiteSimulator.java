package dev.mecgw.devices.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mecgw.devices.DeviceCounters;
import dev.mecgw.devices.SensorFeed;
import dev.mecgw.devices.SimulatedDevice;
import dev.mecgw.devices.camera.MjpegCamera;
import dev.mecgw.devices.coap.CoapSensor;
import dev.mecgw.devices.firmware.FirmwareAgent;
import dev.mecgw.devices.mqtt.MqttEndpoint;
import dev.mecgw.devices.mqtt.MqttSensor;
import dev.mecgw.devices.registration.DeviceRegistrar;
import dev.mecgw.devices.registration.DeviceRegistrar.DeviceSpec;
import dev.mecgw.devices.signal.Fault;
import dev.mecgw.devices.signal.SensorSignal;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.commons.lang3.concurrent.BasicThreadFactory;

/**
 * A simulated site: builds the sensors (and camera) the options ask for, registers them through the gateway API
 * with fresh credentials, SIM identities and a slice, starts them, and writes their counters to the status file.
 * The sensor ids are stable ({@code <prefix>-mqtt-01} …), so that scripts can name the faulty one in advance.
 */
public final class SiteSimulator implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The firmware every simulated sensor runs at start. */
    static final String FIRMWARE_VERSION = "1.0";
    /** Block2 size CoAP sensors ask for when downloading firmware. */
    static final int COAP_BLOCK = 1024;

    private final SimulatorOptions options;
    private final Clock clock;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(
            2,
            BasicThreadFactory.builder()
                    .namingPattern("devices-tick-%d")
                    .daemon(true)
                    .build());
    private final List<SimulatedDevice> devices = new ArrayList<>();
    private final Map<String, FirmwareAgent> firmware = new java.util.concurrent.ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    public SiteSimulator(SimulatorOptions options, Clock clock) {
        this.options = options;
        this.clock = clock;
    }

    /** @return the ids the simulator uses, MQTT sensors first (3.1.1 and 5 interleaved by share), then CoAP */
    public static List<String> sensorIds(String prefix, int mqtt, int coap) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= mqtt; i++) {
            ids.add(String.format("%s-mqtt-%02d", prefix, i));
        }
        for (int i = 1; i <= coap; i++) {
            ids.add(String.format("%s-coap-%02d", prefix, i));
        }
        return ids;
    }

    /**
     * Registers (when asked) and starts every device.
     *
     * @throws IOException when the camera cannot listen or the token file cannot be read
     */
    public void start() throws IOException {
        DeviceRegistrar registrar = options.register() ? new DeviceRegistrar(URI.create(options.api()), token()) : null;
        Duration period = Duration.ofNanos((long) (1e9 / options.rate()));
        List<String> ids = sensorIds(options.prefix(), options.mqtt(), options.coap());
        int v5 = (int) Math.round(options.mqtt() * options.mqtt5Share());
        String[] passwords = new String[ids.size()];
        byte[][] psks = new byte[ids.size()][];
        List<Runnable> registrations = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            int index = i;
            if (i < options.mqtt()) {
                passwords[i] = options.register() ? HexFormat.of().formatHex(bytes(12)) : options.password();
                String protocol = mqtt5(i, options.mqtt5Share()) ? "mqtt5" : "mqtt3";
                registrations.add(() -> register(
                        registrar,
                        ids.get(index),
                        "sensor",
                        Map.of("protocol", protocol),
                        index,
                        passwords[index],
                        null));
            } else {
                psks[i] = options.register() ? bytes(16) : HexFormat.of().parseHex(options.pskHex());
                String psk = HexFormat.of().formatHex(psks[i]);
                registrations.add(() ->
                        register(registrar, ids.get(index), "sensor", Map.of("protocol", "coaps"), index, null, psk));
            }
        }
        runInParallel(registrations);
        // The fault clock starts once the devices run, so that the first minutes are healthy whatever the
        // registration took.
        Instant launch = clock.instant();
        // Firmware updates (issue 18): every sensor runs the firmware object when the gateway has a signing key.
        String signingKey =
                registrar == null ? null : registrar.firmwareSigningKey().orElse(null);
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            SensorFeed feed = new SensorFeed(options.metric(), signal(id, i, launch), period, scheduler, clock);
            if (i < options.mqtt()) {
                MqttSensor.Version version =
                        mqtt5(i, options.mqtt5Share()) ? MqttSensor.Version.V5 : MqttSensor.Version.V3;
                MqttSensor sensor = new MqttSensor(
                        new MqttEndpoint(options.gateway(), options.mqttPort()), id, passwords[i], version, feed);
                if (signingKey != null) {
                    firmware.put(id, sensor.enableFirmware(signingKey, URI.create(options.api()), FIRMWARE_VERSION));
                }
                devices.add(sensor);
            } else {
                CoapSensor sensor = new CoapSensor(
                        new InetSocketAddress(InetAddress.getByName(options.gateway()), options.coapsPort()),
                        id,
                        psks[i],
                        feed);
                if (signingKey != null) {
                    firmware.put(id, sensor.enableFirmware(signingKey, FIRMWARE_VERSION, COAP_BLOCK));
                }
                devices.add(sensor);
            }
        }
        if (options.camera()) {
            String id = options.prefix() + "-cam-1";
            MjpegCamera camera = new MjpegCamera(
                    id,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), options.cameraPort()),
                    options.cameraFps(),
                    options.cameraImages(),
                    clock);
            register(registrar, id, "camera", Map.of("mjpeg-url", camera.url()), ids.size(), null, null);
            devices.add(camera);
            System.out.println("camera " + id + " at " + camera.url()
                    + (camera.showsPhotos() ? " (photos)" : " (synthetic scene)"));
        }
        devices.forEach(SimulatedDevice::start);
        if (options.statusFile() != null) {
            scheduler.scheduleAtFixedRate(this::writeStatus, 1, 1, TimeUnit.SECONDS);
        }
        System.out.printf(
                "devices started at %s: %d MQTT (%d on v5), %d CoAP/DTLS%s%s%n",
                launch,
                options.mqtt(),
                v5,
                options.coap(),
                options.camera() ? ", 1 camera" : "",
                options.faultDevice() == null
                        ? ""
                        : ", fault (" + options.faultKind().name().toLowerCase() + ") on " + options.faultDevice()
                                + " after " + options.faultAfter().toSeconds() + "s");
    }

    /** Registers a few devices at a time: each password costs the gateway a PBKDF2 hash. */
    private static void runInParallel(List<Runnable> tasks) {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            tasks.forEach(task -> done.add(pool.submit(task)));
            for (Future<?> future : done) {
                future.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while registering", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Spreads the MQTT 5 share evenly over the fleet (any prefix of it mixes both versions). */
    static boolean mqtt5(int index, double share) {
        return Math.floor((index + 1) * share + 0.5) - Math.floor(index * share + 0.5) == 1;
    }

    private SensorSignal signal(String id, int index, Instant launch) {
        Fault fault = id.equals(options.faultDevice())
                ? new Fault(options.faultKind(), launch.plus(options.faultAfter()), options.faultMagnitude())
                : Fault.NONE;
        // Sensors of one hall: similar levels, slightly different phases and noise.
        double base = 21 + (index % 5) * 0.3;
        return new SensorSignal(base, 2.0, 0.2, options.day(), (index % 7) / 7.0, fault, options.seed() * 1000 + index);
    }

    private void register(
            DeviceRegistrar registrar,
            String id,
            String type,
            Map<String, String> labels,
            int index,
            String password,
            String pskHex) {
        if (registrar == null) {
            return;
        }
        Map<String, String> all = new LinkedHashMap<>(labels);
        all.put("simulated", "true");
        String serial = String.format("%010d", options.firstSerial() + index);
        registrar.register(new DeviceSpec(
                id,
                type,
                all,
                "imsi-00101" + serial,
                "msisdn-4915" + serial,
                options.sliceSst(),
                options.sliceSd(),
                password,
                pskHex));
    }

    private String token() throws IOException {
        String env = System.getenv("MECGW_ADMIN_TOKEN");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        return Files.readString(options.tokenFile()).trim();
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** The firmware agent of a sensor, empty when the gateway offered no signing key (issue 18). */
    public java.util.Optional<FirmwareAgent> firmware(String id) {
        return java.util.Optional.ofNullable(firmware.get(id));
    }

    /** @return the running devices, in id order as built */
    public List<SimulatedDevice> devices() {
        return List.copyOf(devices);
    }

    void writeStatus() {
        try {
            ObjectNode status = JSON.createObjectNode();
            status.put("at", clock.instant().toString());
            long online = 0, sent = 0, acked = 0, failed = 0, commands = 0, responses = 0;
            ArrayNode list = JSON.createArrayNode();
            for (SimulatedDevice device : devices) {
                DeviceCounters c = device.counters();
                online += c.online.get() ? 1 : 0;
                sent += c.sent.get();
                acked += c.acknowledged.get();
                failed += c.failed.get();
                commands += c.commands.get();
                responses += c.responses.get();
                ObjectNode d = list.addObject();
                d.put("id", device.id());
                d.put("protocol", device.protocol());
                d.put("online", c.online.get());
                d.put("sent", c.sent.get());
                d.put("acknowledged", c.acknowledged.get());
                d.put("failed", c.failed.get());
                d.put("commands", c.commands.get());
                d.put("responses", c.responses.get());
                FirmwareAgent agent = firmware.get(device.id());
                if (agent != null) {
                    d.put("firmware", agent.version());
                    d.put("firmwareBytes", c.firmwareBytes.get());
                }
            }
            // Totals first and flat, so that a shell script can read them with grep.
            status.put("devices", devices.size());
            status.put("online", online);
            status.put("sent", sent);
            status.put("acknowledged", acked);
            status.put("failed", failed);
            status.put("commands", commands);
            status.put("responses", responses);
            status.set("detail", list);
            Path target = options.statusFile();
            Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
            Files.write(tmp, JSON.writeValueAsBytes(status));
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            System.err.println("status file not written: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        devices.forEach(SimulatedDevice::close);
        if (options.statusFile() != null) {
            writeStatus();
        }
    }
}

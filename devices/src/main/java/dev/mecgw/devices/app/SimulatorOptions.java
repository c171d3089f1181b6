package dev.mecgw.devices.app;

import dev.mecgw.devices.signal.Fault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Command-line options of the device simulator, with their defaults. {@link #parse} rejects unknown options and
 * bad values with a message naming the option.
 *
 * @param gateway gateway host (MQTT, CoAPS and, by default, the API); default {@code 127.0.0.1}
 * @param mqttPort MQTT TCP port; default 1883
 * @param coapsPort CoAP over DTLS UDP port; default 5684
 * @param api gateway API base URL; default {@code http://<gateway>:8080}
 * @param tokenFile admin token file (when {@code MECGW_ADMIN_TOKEN} is not set); default {@code ./data/admin-token}
 * @param register register the devices (and the camera) through the API; default true
 * @param password MQTT password of every sensor when not registering (else random per device)
 * @param pskHex DTLS PSK of every CoAP sensor when not registering (else random per device)
 * @param mqtt number of MQTT sensors; default 20
 * @param coap number of CoAP/DTLS sensors; default 5
 * @param rate readings per second per sensor; default 1
 * @param mqtt5Share fraction of MQTT sensors on MQTT 5 (the rest on 3.1.1); default 0.5
 * @param prefix device id prefix; ids are {@code <prefix>-mqtt-01}, {@code <prefix>-coap-01}, {@code <prefix>-cam-1}
 * @param metric metric name; default {@code temp}
 * @param day length of the simulated day; default 24h
 * @param faultDevice id of the sensor that develops a fault, or null
 * @param faultAfter when the fault starts after launch; default 3m
 * @param faultKind kind of fault; default offset
 * @param faultMagnitude size of the fault in the metric's unit; default 15
 * @param camera also run one MJPEG camera; default false
 * @param cameraPort camera HTTP port on the gateway host's loopback; default 0 (free)
 * @param cameraImages photos the camera shows, or null for the synthetic scene
 * @param cameraFps camera frames per second; default 2
 * @param sliceSst S-NSSAI SST registered for every device; default 1
 * @param sliceSd S-NSSAI SD; default {@code 000001}
 * @param statusFile JSON status written every second, or null
 * @param duration stop after this long, or null to run until stopped
 * @param seed noise seed; default 1
 * @param firstSerial serial of the first device's SIM identity ({@code imsi-00101<serial>}); default 1, so that
 *     several simulators can register distinct SIMs with one gateway
 */
public record SimulatorOptions(
        String gateway,
        int mqttPort,
        int coapsPort,
        String api,
        Path tokenFile,
        boolean register,
        String password,
        String pskHex,
        int mqtt,
        int coap,
        double rate,
        double mqtt5Share,
        String prefix,
        String metric,
        Duration day,
        String faultDevice,
        Duration faultAfter,
        Fault.Kind faultKind,
        double faultMagnitude,
        boolean camera,
        int cameraPort,
        Path cameraImages,
        double cameraFps,
        int sliceSst,
        String sliceSd,
        Path statusFile,
        Duration duration,
        long seed,
        long firstSerial) {

    static final String USAGE = """
            usage: java -jar mecgw-devices.jar [options]
              --mqtt N               MQTT sensors (default 20)         --coap M          CoAP/DTLS sensors (default 5)
              --rate R               readings/s per sensor (default 1) --mqtt5-share F   share on MQTT 5 (default 0.5)
              --gateway HOST         gateway host (default 127.0.0.1)  --mqtt-port P     (default 1883)
              --coaps-port P         (default 5684)                    --api URL         (default http://HOST:8080)
              --token-file F         admin token file (default ./data/admin-token; MECGW_ADMIN_TOKEN wins)
              --no-register          do not register; then --password PW and/or --psk HEX give the credentials
              --prefix P             id prefix (default sim)           --metric NAME     (default temp)
              --day D                simulated day length (default 24h)
              --fault ID             sensor that develops a fault      --fault-after D   (default 3m)
              --fault-kind K         offset|spikes|stuck|noise         --fault-magnitude X (default 15)
              --camera               one MJPEG camera                  --camera-port P   (default 0 = free)
              --camera-images DIR    photos to show (default: synthetic scene)  --camera-fps F (default 2)
              --slice-sst N --slice-sd HEX   slice registered (default 1 / 000001)
              --status-file F        JSON status every second          --duration D      stop after D
              --seed N               noise seed (default 1)            --first-serial N  first SIM serial (default 1)
            durations: 90s, 3m, 2h, or ISO-8601 (PT90S)
            """;

    /**
     * @param args command-line arguments
     * @return the options
     * @throws IllegalArgumentException naming the bad option
     */
    public static SimulatorOptions parse(String... args) {
        Map<String, String> values = new TreeMap<>();
        List<String> flags = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + arg);
            }
            String name = arg.substring(2);
            if (List.of("no-register", "camera", "help").contains(name)) {
                flags.add(name);
            } else if (i + 1 < args.length) {
                values.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
        }
        if (flags.contains("help")) {
            throw new IllegalArgumentException("help");
        }
        Reader r = new Reader(values);
        String gateway = r.text("gateway", "127.0.0.1");
        String token = r.text("token-file", "data/admin-token");
        SimulatorOptions options = new SimulatorOptions(
                gateway,
                r.port("mqtt-port", 1883),
                r.port("coaps-port", 5684),
                r.text("api", "http://" + gateway + ":8080"),
                Path.of(token),
                !flags.contains("no-register"),
                r.text("password", null),
                r.text("psk", null),
                r.count("mqtt", 20),
                r.count("coap", 5),
                r.positive("rate", 1),
                r.fraction("mqtt5-share", 0.5),
                r.text("prefix", "sim"),
                r.text("metric", "temp"),
                r.duration("day", "24h"),
                r.text("fault", null),
                r.duration("fault-after", "3m"),
                Fault.Kind.parse(r.text("fault-kind", "offset")),
                r.number("fault-magnitude", 15),
                flags.contains("camera"),
                r.port("camera-port", 0),
                values.containsKey("camera-images") ? Path.of(r.text("camera-images", null)) : null,
                r.positive("camera-fps", 2),
                (int) r.number("slice-sst", 1),
                r.text("slice-sd", "000001"),
                values.containsKey("status-file") ? Path.of(r.text("status-file", null)) : null,
                values.containsKey("duration") ? r.duration("duration", null) : null,
                (long) r.number("seed", 1),
                r.count("first-serial", 1));
        if (!values.isEmpty()) {
            throw new IllegalArgumentException(
                    "unknown option: --" + values.keySet().iterator().next());
        }
        if (!options.register && options.mqtt > 0 && options.password == null) {
            throw new IllegalArgumentException("--no-register needs --password for the MQTT sensors");
        }
        if (!options.register && options.coap > 0 && options.pskHex == null) {
            throw new IllegalArgumentException("--no-register needs --psk for the CoAP sensors");
        }
        return options;
    }

    /** Takes each option out of the map as it is read, so that leftovers are unknown options. */
    private record Reader(Map<String, String> values) {

        String text(String name, String fallback) {
            String value = values.remove(name);
            return value == null ? fallback : value;
        }

        double number(String name, double fallback) {
            String value = values.remove(name);
            if (value == null) {
                return fallback;
            }
            try {
                return Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " must be a number: " + value);
            }
        }

        int count(String name, int fallback) {
            double n = number(name, fallback);
            if (n < 0 || n != Math.rint(n) || n > 100_000) {
                throw new IllegalArgumentException("--" + name + " must be a whole number 0..100000");
            }
            return (int) n;
        }

        int port(String name, int fallback) {
            double n = number(name, fallback);
            if (n < 0 || n > 65535 || n != Math.rint(n)) {
                throw new IllegalArgumentException("--" + name + " must be a port 0..65535");
            }
            return (int) n;
        }

        double positive(String name, double fallback) {
            double n = number(name, fallback);
            if (!(n > 0) || n > 1000) {
                throw new IllegalArgumentException("--" + name + " must be in (0, 1000]");
            }
            return n;
        }

        double fraction(String name, double fallback) {
            double n = number(name, fallback);
            if (!(n >= 0 && n <= 1)) {
                throw new IllegalArgumentException("--" + name + " must be in [0, 1]");
            }
            return n;
        }

        Duration duration(String name, String fallback) {
            String value = text(name, fallback);
            try {
                return parseDuration(value);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("--" + name + " must be a duration like 90s, 3m or 2h: " + value);
            }
        }
    }

    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("p")) {
            return Duration.parse(text.trim());
        }
        long amount = Long.parseLong(t.substring(0, t.length() - (t.endsWith("ms") ? 2 : 1)));
        if (t.endsWith("ms")) {
            return Duration.ofMillis(amount);
        }
        return switch (t.charAt(t.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            case 'd' -> Duration.ofDays(amount);
            default -> throw new IllegalArgumentException(text);
        };
    }
}

package dev.mecgw.app.inference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Command line: fit the sensor anomaly model on the gateway's stored telemetry and install it, through the
 * running gateway's {@code POST /api/v1/models/{name}/fit} (the gateway owns the database, so the fit runs
 * there). The admin token comes from {@code MECGW_ADMIN_TOKEN} or a token file, never from the command
 * line, where other users could read it. Exit status: 0 installed, 1 refused or unreachable, 2 bad usage.
 *
 * <pre>
 * java -cp 'mec-app/target/quarkus-app/app/*:mec-app/target/quarkus-app/lib/main/*' \
 *     dev.mecgw.app.inference.FitSensorModelCommand --metric temp --device sensor-1 --device sensor-2
 * </pre>
 */
public final class FitSensorModelCommand {

    static final String USAGE = """
            Usage: FitSensorModelCommand --metric NAME --device ID [--device ID ...] [--from ISO-INSTANT]
                   [--to ISO-INSTANT] [--max-readings N] [--margin X] [--model NAME]
                   [--gateway URL (default http://127.0.0.1:8080)] [--token-file PATH (default ./data/admin-token)]
            The admin token is read from MECGW_ADMIN_TOKEN, else from the token file.""";

    private final HttpClient client;
    private final Map<String, String> env;
    private final ObjectMapper json = new ObjectMapper();

    FitSensorModelCommand(HttpClient client, Map<String, String> env) {
        this.client = client;
        this.env = env;
    }

    public static void main(String[] args) {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        System.exit(new FitSensorModelCommand(client, System.getenv()).run(args, System.out, System.err));
    }

    /** Runs the command; returns the exit status. */
    int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 2;
        }
        try {
            HttpResponse<String> response = client.send(request(options), HttpResponse.BodyHandlers.ofString());
            JsonNode body = parse(response.body());
            if (response.statusCode() != 201) {
                err.printf(
                        "Gateway refused the fit (HTTP %d): %s%n",
                        response.statusCode(),
                        body.path("detail").asText(body.path("title").asText(response.body())));
                return 1;
            }
            out.printf(
                    "Installed %s version %s (window %s readings, score threshold %s)%n",
                    body.path("name").asText(),
                    body.path("version").asText(),
                    body.path("inputs").path(0).path("shape").path(1).asText(),
                    body.path("thresholds").path("score").asText());
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("Fit failed: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.printf(
                    "Fit failed: gateway %s not reachable (%s)%n",
                    options.gateway, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("Fit interrupted");
            return 1;
        }
    }

    /** The response as JSON; a non-JSON body (a proxy's error page) becomes its {@code detail}. */
    private JsonNode parse(String text) {
        try {
            return text.isBlank() ? json.createObjectNode() : json.readTree(text);
        } catch (JsonProcessingException e) {
            return json.createObjectNode().put("detail", text);
        }
    }

    private HttpRequest request(Options options) throws IOException {
        ObjectNode body = json.createObjectNode().put("metric", options.metric);
        options.devices.forEach(body.putArray("deviceIds")::add);
        if (options.from != null) {
            body.put("from", options.from.toString());
        }
        if (options.to != null) {
            body.put("to", options.to.toString());
        }
        if (options.maxReadings != null) {
            body.put("maxReadings", options.maxReadings);
        }
        if (options.margin != null) {
            body.put("margin", options.margin);
        }
        URI uri = URI.create(options.gateway.replaceAll("/+$", "") + "/api/v1/models/"
                + URLEncoder.encode(options.model, StandardCharsets.UTF_8) + "/fit");
        return HttpRequest.newBuilder(uri)
                .timeout(Duration.ofMinutes(5))
                .header("Authorization", "Bearer " + token(options))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                .build();
    }

    private String token(Options options) throws IOException {
        String token = env.get("MECGW_ADMIN_TOKEN");
        if (token != null && !token.isBlank()) {
            return token.trim();
        }
        Path file = Path.of(options.tokenFile);
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(
                    "no admin token: set MECGW_ADMIN_TOKEN or pass --token-file (" + file + " is not readable)");
        }
        return Files.readString(file).trim();
    }

    /** Parsed command line. */
    private static final class Options {
        String metric;
        final List<String> devices = new ArrayList<>();
        Instant from;
        Instant to;
        Integer maxReadings;
        Double margin;
        String model = "sensor-anomaly";
        String gateway = "http://127.0.0.1:8080";
        String tokenFile = "data/admin-token";

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("Missing value after " + args[i]);
                }
                o.set(args[i], args[i + 1]);
            }
            if (o.metric == null || o.devices.isEmpty()) {
                throw new IllegalArgumentException("--metric and at least one --device are required");
            }
            return o;
        }

        private void set(String flag, String value) {
            try {
                switch (flag) {
                    case "--metric" -> metric = value;
                    case "--device" -> devices.add(value);
                    case "--from" -> from = Instant.parse(value);
                    case "--to" -> to = Instant.parse(value);
                    case "--max-readings" -> maxReadings = Integer.valueOf(value);
                    case "--margin" -> margin = Double.valueOf(value);
                    case "--model" -> model = value;
                    case "--gateway" -> gateway = value;
                    case "--token-file" -> tokenFile = value;
                    default -> throw new IllegalArgumentException("Unknown option " + flag);
                }
            } catch (NumberFormatException | DateTimeParseException e) {
                throw new IllegalArgumentException("Invalid value for " + flag + ": " + value);
            }
        }
    }
}

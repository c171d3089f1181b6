package dev.mecgw.devices.registration;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Registers simulated devices through the gateway's operator API ({@code POST /api/v1/devices}, Bearer admin
 * token), as an operator would. A device that exists already (409) gets its credentials replaced instead
 * ({@code PUT /api/v1/devices/{id}/credentials}), so that a rerun with fresh secrets works. The token is never
 * logged.
 */
public final class DeviceRegistrar {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI api;
    private final String token;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param api gateway base URL, e.g. {@code http://127.0.0.1:8080}
     * @param token admin bearer token
     */
    public DeviceRegistrar(URI api, String token) {
        this.api = api;
        this.token = token;
    }

    /**
     * Creates or updates one device.
     *
     * @param spec what to register
     * @throws RegistrationException with the gateway's problem text when it refused the device
     */
    public void register(DeviceSpec spec) {
        ObjectNode body = JSON.createObjectNode();
        body.put("id", spec.id());
        body.put("type", spec.type());
        ObjectNode labels = body.putObject("labels");
        spec.labels().forEach(labels::put);
        if (spec.supi() != null) {
            ObjectNode sim = body.putObject("sim");
            sim.put("supi", spec.supi());
            if (spec.gpsi() != null) {
                sim.put("gpsi", spec.gpsi());
            }
        }
        if (spec.sst() != null) {
            ObjectNode slice = body.putObject("slice");
            slice.put("sst", spec.sst());
            if (spec.sd() != null) {
                slice.put("sd", spec.sd());
            }
        }
        ObjectNode credentials = credentials(spec);
        if (!credentials.isEmpty()) {
            body.set("credentials", credentials);
        }
        HttpResponse<String> created = send("POST", "/api/v1/devices", body);
        if (created.statusCode() == 409 && !credentials.isEmpty()) {
            HttpResponse<String> updated = send("PUT", "/api/v1/devices/" + spec.id() + "/credentials", credentials);
            check(spec.id(), updated);
            return;
        }
        if (created.statusCode() != 409) {
            check(spec.id(), created);
        }
    }

    /**
     * The site's firmware signing key devices are provisioned with (issue 18, docs/ota.md).
     *
     * @return Base64 SubjectPublicKeyInfo, empty when the gateway offers none (an older release)
     */
    public Optional<String> firmwareSigningKey() {
        try {
            HttpRequest request = HttpRequest.newBuilder(api.resolve("/api/v1/rollouts/signing-key"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token)
                    .GET()
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            return Optional.ofNullable(
                    JSON.readTree(response.body()).path("publicKey").asText(null));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static ObjectNode credentials(DeviceSpec spec) {
        ObjectNode credentials = JSON.createObjectNode();
        if (spec.password() != null) {
            credentials.put("password", spec.password());
        }
        if (spec.pskHex() != null) {
            credentials.put("psk", spec.pskHex());
        }
        return credentials;
    }

    private HttpResponse<String> send(String method, String path, ObjectNode body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(api.resolve(path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                    .build();
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new RegistrationException("gateway API at " + api + " not reachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistrationException("interrupted", e);
        }
    }

    private static void check(String id, HttpResponse<String> response) {
        if (response.statusCode() / 100 != 2) {
            throw new RegistrationException(
                    "registering " + id + " failed: HTTP " + response.statusCode() + " " + response.body(), null);
        }
    }

    /**
     * One device to register.
     *
     * @param id device id
     * @param type device type, e.g. {@code sensor}, {@code camera}
     * @param labels labels, e.g. the MJPEG URL of a camera
     * @param supi SIM identity {@code imsi-…}, or null
     * @param gpsi {@code msisdn-…}, or null
     * @param sst slice service type, or null for no slice
     * @param sd slice differentiator (6 hex digits), or null
     * @param password MQTT password, or null
     * @param pskHex DTLS pre-shared key as hex, or null
     */
    public record DeviceSpec(
            String id,
            String type,
            Map<String, String> labels,
            String supi,
            String gpsi,
            Integer sst,
            String sd,
            String password,
            String pskHex) {}

    /** The gateway refused a registration, or could not be reached. */
    public static final class RegistrationException extends RuntimeException {
        RegistrationException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

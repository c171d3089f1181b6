package dev.mecgw.ran.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi30;
import com.networknt.schema.oas.OpenApi31;
import dev.mecgw.testsupport.fixtures.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Checks HTTP exchanges against the OpenAPI files in {@code specs/} of the fixtures ({@link Fixtures}): the operation must exist, the
 * status must be declared, and bodies must match the declared schema. Schemas are validated by networknt
 * json-schema-validator with the OpenAPI 3.0 or 3.1 dialect, straight from the YAML files, so {@code $ref}s
 * across files (TS 29.122 to TS 29.571 ...) resolve as the specs wrote them.
 */
final class OpenApiContract {

    /** One API: its spec file, server base path and dialect. */
    record Api(String file, String basePath, boolean openApi31) {}

    static final List<Api> APIS = List.of(
            new Api("3gpp/TS29122_MonitoringEvent.yaml", "/3gpp-monitoring-event/v1", false),
            new Api("3gpp/TS29122_AsSessionWithQoS.yaml", "/3gpp-as-session-with-qos/v1", false),
            new Api("3gpp/TS29522_UEId.yaml", "/3gpp-ueid/v1", false),
            new Api("etsi-mec/MecAppSupportApi.yaml", "/mec_app_support/v1", true),
            new Api("etsi-mec/MecServiceMgmtApi.yaml", "/mec_service_mgmt/v1", true),
            new Api("etsi-mec/RniAPI.yaml", "/rni/v2", true),
            new Api("etsi-mec/LocationAPI.yaml", "/location/v2", true));

    /**
     * Known defects of the spec files, each replaced by the schema the specification text intends. MEC 011
     * V2.1.1 (STF 606 OpenAPI 3.1 conversion) gives the service registration bodies the schema
     * {@code oneOf: [{type: object}, {type: object}]}, which no body can satisfy; clause 8.2.6.3.4 says the
     * body is a {@code ServiceInfo}.
     */
    static final Map<String, String> SPEC_DEFECTS = Map.of(
            "etsi-mec/MecServiceMgmtApi.yaml#/paths/~1applications~1{appInstanceId}~1services/post/requestBody"
                            + "/content/application~1json/schema",
                    "/components/schemas/ServiceInfo",
            "etsi-mec/MecServiceMgmtApi.yaml#/paths/~1applications~1{appInstanceId}~1services~1{serviceId}/put"
                            + "/requestBody/content/application~1json/schema",
                    "/components/schemas/ServiceInfo");

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");
    private final Path specs;
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    private final Map<String, JsonNode> documents = new ConcurrentHashMap<>();
    private final JsonSchemaFactory oas30 = JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V4,
            builder -> builder.metaSchema(OpenApi30.getInstance())
                    .defaultMetaSchemaIri(OpenApi30.getInstance().getIri()));
    private final JsonSchemaFactory oas31 = JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V202012,
            builder -> builder.metaSchema(OpenApi31.getInstance())
                    .defaultMetaSchemaIri(OpenApi31.getInstance().getIri()));
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

    /** Skips the calling test (fails it under {@code CI=true}) when the spec folders are missing. */
    OpenApiContract() {
        Fixtures.require("specs/etsi-mec");
        this.specs = Fixtures.require("specs/3gpp").getParent();
    }

    /** The API whose base path starts {@code path}. */
    static Api apiOf(String path) {
        return APIS.stream()
                .filter(api -> path.startsWith(api.basePath() + "/"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no spec serves " + path));
    }

    /**
     * Violations of a request or a response; empty when it conforms.
     *
     * @param exchange a REQUEST or RESPONSE recorded by the simulator
     */
    List<String> violations(SimExchange exchange) {
        URI uri = URI.create(exchange.uri());
        Api api = apiOf(uri.getPath());
        String operation =
                operationPointer(api, uri.getPath().substring(api.basePath().length()), exchange.method());
        JsonNode doc = document(api.file());
        if (doc.at(operation).isMissingNode()) {
            return List.of(exchange.method() + " " + uri.getPath() + " is not an operation of " + api.file());
        }
        return exchange.kind() == SimExchange.Kind.REQUEST
                ? requestViolations(api, operation, exchange)
                : responseViolations(api, operation, exchange);
    }

    /** Violations of a notification body against the named component schema of a spec file. */
    List<String> notificationViolations(String file, String schema, JsonNode body) {
        Api api = APIS.stream().filter(a -> a.file().equals(file)).findFirst().orElseThrow();
        return validate(api, api.file(), "/components/schemas/" + schema, body);
    }

    private List<String> requestViolations(Api api, String operation, SimExchange exchange) {
        Located requestBody =
                resolve(api.file(), document(api.file()).at(operation + "/requestBody"), operation + "/requestBody");
        if (exchange.body() == null) {
            return requestBody.node().path("required").asBoolean(false)
                    ? List.of("request body is required")
                    : List.of();
        }
        String contentType = exchange.contentType();
        String pointer = requestBody.pointer() + "/content/" + escape(contentType) + "/schema";
        if (document(requestBody.file()).at(pointer).isMissingNode()) {
            return List.of("request content type " + contentType + " is not declared");
        }
        return validate(api, requestBody.file(), pointer, exchange.body());
    }

    private List<String> responseViolations(Api api, String operation, SimExchange exchange) {
        JsonNode responses = document(api.file()).at(operation + "/responses");
        String status = Integer.toString(exchange.status());
        String declared = responses.has(status) ? status : responses.has("default") ? "default" : null;
        if (declared == null) {
            return List.of("status " + status + " is not declared");
        }
        Located response = resolve(api.file(), responses.get(declared), operation + "/responses/" + declared);
        JsonNode content = response.node().path("content");
        if (exchange.body() == null) {
            return List.of();
        }
        if (!content.has(exchange.contentType())) {
            return List.of("status " + status + " declares no " + exchange.contentType() + " body");
        }
        return validate(
                api,
                response.file(),
                response.pointer() + "/content/" + escape(exchange.contentType()) + "/schema",
                exchange.body());
    }

    private List<String> validate(Api api, String file, String schemaPointer, JsonNode body) {
        String pointer = SPEC_DEFECTS.getOrDefault(file + "#" + schemaPointer, schemaPointer);
        String location = specs.resolve(file).toUri() + "#" + pointer;
        JsonSchema schema = schemas.computeIfAbsent(
                location, key -> (api.openApi31() ? oas31 : oas30).getSchema(SchemaLocation.of(key)));
        Set<ValidationMessage> messages = schema.validate(body);
        return messages.stream().map(ValidationMessage::getMessage).sorted().collect(Collectors.toList());
    }

    /** A node with the file and JSON pointer it was found at (after following {@code $ref}s). */
    private record Located(String file, String pointer, JsonNode node) {}

    private Located resolve(String file, JsonNode node, String pointer) {
        Located current = new Located(file, pointer, node);
        while (current.node().has("$ref")) {
            String ref = current.node().get("$ref").asText();
            String[] parts = ref.split("#", 2);
            String target = parts[0].isEmpty()
                    ? current.file()
                    : Path.of(current.file()).resolveSibling(parts[0]).toString();
            current = new Located(target, parts[1], document(target).at(parts[1]));
        }
        return current;
    }

    private String operationPointer(Api api, String path, String method) {
        JsonNode paths = document(api.file()).path("paths");
        List<String> candidates = new ArrayList<>();
        paths.fieldNames().forEachRemaining(template -> {
            String regex = template.replaceAll("\\{[^/]+}", "[^/]+");
            if (path.matches(regex)) {
                candidates.add(template);
            }
        });
        // A literal template beats one with a variable in the same place.
        candidates.sort((a, b) -> Long.compare(
                a.chars().filter(c -> c == '{').count(),
                b.chars().filter(c -> c == '{').count()));
        String lower = method.toLowerCase(java.util.Locale.ROOT);
        if (candidates.isEmpty() || !METHODS.contains(lower)) {
            return "/paths/~1no-such-path";
        }
        return "/paths/" + escape(candidates.get(0)) + "/" + lower;
    }

    private JsonNode document(String file) {
        return documents.computeIfAbsent(file, f -> {
            try {
                return yaml.readTree(specs.resolve(f).toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static String escape(String segment) {
        return segment.replace("~", "~0").replace("/", "~1");
    }
}

package dev.mecgw.app.inference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.events.EventLog;
import dev.mecgw.app.events.EventResource;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.inference.model.ModelMetadata;
import dev.mecgw.inference.model.ModelRegistry;
import io.smallrye.common.annotation.Blocking;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * Model registry API. An upload is {@code multipart/form-data} with a {@code metadata} part (JSON
 * {@link ModelMetadata}) and a {@code model} part (the ONNX bytes). Loading blocks, so it runs on a worker.
 */
@Path("/api/v1/models")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "models")
@SecurityRequirement(name = "adminToken")
@Blocking
public class ModelResource {

    private final ModelRegistry registry;
    private final ObjectMapper json;
    private final InferenceConfig config;
    private final SensorModelFitting fitting;
    private final EventLog events;

    public ModelResource(
            ModelRegistry registry,
            ObjectMapper json,
            InferenceConfig config,
            SensorModelFitting fitting,
            EventLog events) {
        this.registry = registry;
        this.json = json;
        this.config = config;
        this.fitting = fitting;
        this.events = events;
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public RestResponse<ModelMetadata> upload(
            @RestForm("metadata") String metadata, @RestForm("model") FileUpload model, UriInfo uri) {
        if (metadata == null || metadata.isBlank()) {
            throw GatewayException.badField("metadata", "the metadata part (JSON) is required");
        }
        if (model == null) {
            throw GatewayException.badField("model", "the model part (ONNX bytes) is required");
        }
        if (model.size() > config.maxModelBytes()) {
            throw new GatewayException(
                    ErrorKind.BAD_REQUEST,
                    "Model is " + model.size() + " bytes; the limit is " + config.maxModelBytes());
        }
        ModelMetadata declared = parse(metadata);
        ModelMetadata installed = registry.install(declared, read(model));
        return RestResponse.ResponseBuilder.<ModelMetadata>created(
                        uri.getAbsolutePathBuilder().path(installed.name()).build())
                .entity(installed)
                .build();
    }

    /**
     * Fits sensor anomaly models on stored telemetry and installs them (issue 23): {@code {"metric"}} installs one
     * model under the configured sensor model name and answers its metadata; {@code {"metrics":[...]}} installs one
     * model per metric as {@code <name>.<metric>} and answers the list. Each model scores only its metric (and
     * {@code deviceType}, when given).
     */
    @POST
    @Path("{name}/fit")
    @Consumes(MediaType.APPLICATION_JSON)
    public RestResponse<Object> fit(
            @PathParam("name") String name,
            @NotNull(message = "a JSON body is required") @Valid FitRequest body,
            UriInfo uri) {
        if (!name.equals(config.sensorModel())) {
            throw GatewayException.badField(
                    "name", "only the sensor model '" + config.sensorModel() + "' can be fitted");
        }
        List<ModelMetadata> installed = fitting.fit(name, config.sensorWindow(), body);
        return RestResponse.ResponseBuilder.<Object>created(uri.getBaseUriBuilder()
                        .path("api/v1/models")
                        .path(installed.get(0).name())
                        .build())
                .entity(body.metrics() == null ? installed.get(0) : installed)
                .build();
    }

    @GET
    public List<ModelMetadata> list() {
        return registry.list();
    }

    @GET
    @Path("{name}")
    public ModelMetadata get(@PathParam("name") String name) {
        return registry.current(name).orElseThrow(() -> GatewayException.notFound("Model " + name));
    }

    /** The model's stored versions, oldest first; the current one is {@code GET /api/v1/models/{name}}. */
    @GET
    @Path("{name}/versions")
    public List<String> versions(@PathParam("name") String name) {
        List<String> versions = registry.versions(name);
        if (versions.isEmpty()) {
            throw GatewayException.notFound("Model " + name);
        }
        return versions;
    }

    /**
     * Makes a stored version current again (roll back, issue 19); the current one keeps serving if it fails to
     * verify or load. Records the operator event {@code model.activated}.
     */
    @POST
    @Path("{name}/versions/{version}/activate")
    public ModelMetadata activate(@PathParam("name") String name, @PathParam("version") String version) {
        String previous = registry.current(name).map(ModelMetadata::version).orElse(null);
        ModelMetadata active = registry.activate(name, version);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("user", EventResource.TOKEN_USER);
        payload.put("model", name);
        payload.put("version", version);
        payload.put("previous", previous);
        events.record(null, "model.activated", "info", payload);
        return active;
    }

    private ModelMetadata parse(String metadata) {
        try {
            return json.readValue(metadata, ModelMetadata.class);
        } catch (JsonProcessingException e) {
            // Jackson's own messages name Java classes; say only where the document is wrong.
            String where = e instanceof JsonMappingException m && !m.getPath().isEmpty()
                    ? "field '"
                            + m.getPath().stream()
                                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                                    .collect(java.util.stream.Collectors.joining("."))
                            + "'"
                    : "line " + (e.getLocation() == null ? "?" : e.getLocation().getLineNr());
            throw GatewayException.badField(
                    "metadata", "not a valid model metadata document (at " + where + "; unknown fields are rejected)");
        }
    }

    private static byte[] read(FileUpload model) {
        try {
            return Files.readAllBytes(model.uploadedFile());
        } catch (IOException e) {
            throw new GatewayException(ErrorKind.INTERNAL, "Upload unreadable", e);
        }
    }
}

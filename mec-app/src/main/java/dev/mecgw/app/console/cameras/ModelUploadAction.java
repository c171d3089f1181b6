package dev.mecgw.app.console.cameras;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.console.ConsoleEvents;
import dev.mecgw.app.console.ConsoleUser;
import dev.mecgw.app.console.OperatorOnly;
import dev.mecgw.app.inference.InferenceConfig;
import dev.mecgw.inference.model.ModelMetadata;
import dev.mecgw.inference.model.ModelRegistry;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * The cameras screen's "upload a model version" form (issue 19, operators): the same checks and install as
 * {@code POST /api/v1/models} (metadata JSON plus ONNX bytes, at most {@code mecgw.inference.max-model-bytes}; the
 * registry verifies the SHA-256 and loads the model before it becomes current); event {@code console.model.uploaded}
 * names the user, the model and the version.
 */
@Path("/console/cameras/models")
@Blocking
public class ModelUploadAction {

    private final ModelRegistry models;
    private final ObjectMapper json;
    private final InferenceConfig config;
    private final ConsoleEvents events;

    public ModelUploadAction(ModelRegistry models, ObjectMapper json, InferenceConfig config, ConsoleEvents events) {
        this.models = models;
        this.json = json;
        this.config = config;
        this.events = events;
    }

    @POST
    @OperatorOnly
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response upload(
            @RestForm("metadata") String metadata,
            @RestForm("model") FileUpload model,
            @Context SecurityContext security) {
        if (model == null || model.size() == 0) {
            throw new BadRequestException("model: choose the ONNX file");
        }
        if (model.size() > config.maxModelBytes()) {
            throw new BadRequestException("model: " + model.size() + " bytes; the limit is " + config.maxModelBytes());
        }
        ModelMetadata installed = models.install(parse(metadata), read(model));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("model", installed.name());
        details.put("version", installed.version());
        events.record(ConsoleUser.of(security), "model.uploaded", null, details);
        return Response.seeOther(URI.create("/console/cameras#model-" + installed.name()))
                .build();
    }

    private ModelMetadata parse(String metadata) {
        if (metadata == null || metadata.isBlank()) {
            throw new BadRequestException("metadata: the model's metadata (JSON) is required");
        }
        try {
            return json.readValue(metadata, ModelMetadata.class);
        } catch (JsonProcessingException e) {
            // Jackson's messages name Java classes: say only that the document is wrong.
            throw new BadRequestException("metadata: not valid model metadata (see docs/inference.md)");
        }
    }

    private static byte[] read(FileUpload model) {
        try {
            return Files.readAllBytes(model.uploadedFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

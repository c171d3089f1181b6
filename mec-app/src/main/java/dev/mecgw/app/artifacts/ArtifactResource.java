package dev.mecgw.app.artifacts;

import dev.mecgw.app.problem.GatewayException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Artifact upload for device downloads ({@code GET coap://…/fw/{name}} with Block2). Blocking (file I/O),
 * so it runs on worker threads.
 */
@Path("/api/v1/artifacts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "artifacts")
@SecurityRequirement(name = "adminToken")
public class ArtifactResource {

    private final ArtifactStore store;

    public ArtifactResource(ArtifactStore store) {
        this.store = store;
    }

    /** Stores the raw body as the named artifact; 201 for a new name, 200 for a replaced one. */
    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    public RestResponse<Artifact> put(@PathParam("name") String name, InputStream body) {
        boolean existed = store.find(name).isPresent();
        Artifact stored = store.put(name, body);
        return existed ? RestResponse.ok(stored) : RestResponse.status(RestResponse.Status.CREATED, stored);
    }

    /** The artifact's metadata (size, SHA-256). */
    @GET
    @Path("{name}")
    public Artifact get(@PathParam("name") String name) {
        return store.find(name).orElseThrow(() -> GatewayException.notFound("Artifact " + name));
    }
}

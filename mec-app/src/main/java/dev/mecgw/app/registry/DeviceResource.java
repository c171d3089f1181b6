package dev.mecgw.app.registry;

import dev.mecgw.app.problem.GatewayException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.groups.ConvertGroup;
import jakarta.validation.groups.Default;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** Device registry API. Blocking (JDBC), so it runs on worker threads. */
@Path("/api/v1/devices")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "devices")
@SecurityRequirement(name = "adminToken")
public class DeviceResource {

    private final DeviceRegistry registry;
    private final DeviceNetworkView network;
    private final DeviceConnectionView connections;

    public DeviceResource(DeviceRegistry registry, DeviceNetworkView network, DeviceConnectionView connections) {
        this.registry = registry;
        this.network = network;
        this.connections = connections;
    }

    @POST
    public RestResponse<Device> create(
            @NotNull(message = "a JSON body is required") @Valid @ConvertGroup(from = Default.class, to = DeviceRequest.OnCreate.class)
                    DeviceRequest body,
            UriInfo uri) {
        Device created = registry.create(body);
        return RestResponse.ResponseBuilder.<Device>created(
                        uri.getAbsolutePathBuilder().path(created.id()).build())
                .entity(created)
                .build();
    }

    @GET
    public DevicePage list(
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size,
            @QueryParam("type") String type,
            @QueryParam("label") List<@Pattern(regexp = "[^=]+=.*", message = "must be key=value") String> label,
            @QueryParam("sst") @Min(0) @Max(255) Integer sst,
            @QueryParam("sd") @Pattern(regexp = "[A-Fa-f0-9]{6}", message = "must be 6 hexadecimal digits") String sd) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String pair : label) {
            int eq = pair.indexOf('=');
            labels.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return registry.list(new DeviceFilter(type, labels, sst, sd), page, size);
    }

    @GET
    @Path("{id}")
    public Device get(@PathParam("id") String id) {
        Device device = registry.find(id).orElseThrow(() -> GatewayException.notFound("Device " + id));
        Device shown = network.stateOf(id).map(device::withNetwork).orElse(device);
        return connections.stateOf(id).map(shown::withConnectionState).orElse(shown);
    }

    @PUT
    @Path("{id}")
    public Device update(
            @PathParam("id") String id, @NotNull(message = "a JSON body is required") @Valid DeviceRequest body) {
        if (body.id() != null && !body.id().equals(id)) {
            throw GatewayException.badField("id", "must match the id in the path or be omitted");
        }
        return registry.update(id, body);
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        if (!registry.delete(id)) {
            throw GatewayException.notFound("Device " + id);
        }
        return Response.noContent().build();
    }

    @PUT
    @Path("{id}/credentials")
    public Device credentials(
            @PathParam("id") String id, @NotNull(message = "a JSON body is required") @Valid CredentialsRequest body) {
        if (body.isEmpty()) {
            throw GatewayException.badField("$", "give at least one of password, psk, x509Sha256");
        }
        return registry.setCredentials(id, body);
    }
}

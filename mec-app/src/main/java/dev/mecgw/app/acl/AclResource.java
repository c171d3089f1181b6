package dev.mecgw.app.acl;

import dev.mecgw.app.problem.GatewayException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** ACL rules API; every change takes effect for the next publish or subscribe. */
@Path("/api/v1/acl")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "acl")
@SecurityRequirement(name = "adminToken")
public class AclResource {

    private final AclRuleStore store;
    private final RuleBasedAccessPolicy policy;

    public AclResource(AclRuleStore store, RuleBasedAccessPolicy policy) {
        this.store = store;
        this.policy = policy;
    }

    @GET
    public List<AclRule> list() {
        return store.list();
    }

    @POST
    public RestResponse<AclRule> create(
            @NotNull(message = "a JSON body is required") @Valid AclRuleRequest body, UriInfo uri) {
        body.validate();
        AclRule rule = store.create(body);
        policy.reload();
        return RestResponse.ResponseBuilder.<AclRule>created(uri.getAbsolutePathBuilder()
                        .path(Long.toString(rule.id()))
                        .build())
                .entity(rule)
                .build();
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") long id) {
        if (!store.delete(id)) {
            throw GatewayException.notFound("ACL rule " + id);
        }
        policy.reload();
        return Response.noContent().build();
    }
}

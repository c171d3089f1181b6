package dev.mecgw.app.console;

import dev.mecgw.app.problem.GatewayException;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Console users over the admin API ({@code /api}, bearer token): how an installer (Ansible) or the site's
 * administrator creates viewers and operators. A created or reset password must be changed at first login.
 */
@Path("/api/v1/console/users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "console")
@SecurityRequirement(name = "adminToken")
public class ConsoleUsersResource {

    private final ConsoleAccess access;

    public ConsoleUsersResource(ConsoleAccess access) {
        this.access = access;
    }

    /** A user to create: name, role ({@code viewer} or {@code operator}), first password. */
    public record NewUser(
            @NotNull(message = "is required") String username,
            @NotNull(message = "is required") String role,
            @NotNull(message = "is required") String password) {}

    /** A password set by an administrator. */
    public record NewPassword(
            @NotNull(message = "is required") String password) {}

    /** A user as the API shows it (never a hash). */
    public record UserView(String username, String role, boolean mustChangePassword) {
        static UserView of(ConsoleUser user) {
            return new UserView(user.name(), user.role().value(), user.mustChangePassword());
        }
    }

    @GET
    public List<UserView> list() {
        return access.users().stream().map(UserView::of).toList();
    }

    @POST
    public Response create(@NotNull(message = "a JSON body is required") NewUser body) {
        ConsoleRole role;
        try {
            role = ConsoleRole.of(body.role());
        } catch (IllegalArgumentException e) {
            throw GatewayException.badField("role", e.getMessage());
        }
        ConsoleUser created = access.createUser(body.username(), role, body.password());
        return Response.status(Response.Status.CREATED)
                .entity(UserView.of(created))
                .build();
    }

    @PUT
    @Path("{username}/password")
    public Response resetPassword(
            @PathParam("username") String username, @NotNull(message = "a JSON body is required") NewPassword body) {
        if (!access.resetPassword(username, body.password())) {
            throw GatewayException.notFound("Console user " + username);
        }
        return Response.noContent().build();
    }

    @DELETE
    @Path("{username}")
    public Response delete(@PathParam("username") String username) {
        if (!access.deleteUser(username)) {
            throw GatewayException.notFound("Console user " + username);
        }
        return Response.noContent().build();
    }
}

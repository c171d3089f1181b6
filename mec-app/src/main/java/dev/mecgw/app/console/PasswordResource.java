package dev.mecgw.app.console;

import dev.mecgw.app.problem.FieldError;
import dev.mecgw.app.problem.GatewayException;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** A user's own password change: forced at first login (the {@link ConsoleAuthFilter} sends the user here). */
@Path(ConsoleAuthFilter.PASSWORD)
@Blocking
@Produces(MediaType.TEXT_HTML)
public class PasswordResource {

    private final ConsoleAccess access;
    private final ConsolePages pages;

    public PasswordResource(ConsoleAccess access, ConsolePages pages) {
        this.access = access;
        this.pages = pages;
    }

    @GET
    public TemplateInstance passwordPage(@Context SecurityContext security, @QueryParam("error") String error) {
        return pages.page("console/password", "password", ConsoleUser.of(security))
                .data("error", error == null ? "" : error);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response changePassword(
            @Context SecurityContext security,
            @CookieParam(ConsoleAuthFilter.COOKIE) String token,
            @FormParam("current") String current,
            @FormParam("password") String password,
            @FormParam("confirm") String confirm) {
        try {
            access.changePassword(ConsoleUser.of(security), token, current, password, confirm);
        } catch (GatewayException e) {
            String error = e.fieldErrors().stream()
                    .findFirst()
                    .map(FieldError::message)
                    .map(message -> label(e.fieldErrors().get(0).field()) + " " + message)
                    .orElse("The password was not changed");
            return Response.seeOther(URI.create(
                            ConsoleAuthFilter.PASSWORD + "?error=" + URLEncoder.encode(error, StandardCharsets.UTF_8)))
                    .build();
        }
        return Response.seeOther(URI.create("/console")).build();
    }

    private static String label(String field) {
        return switch (field) {
            case "current" -> "The current password";
            case "confirm" -> "The repeated password";
            default -> "The new password";
        };
    }
}

package dev.mecgw.app.console;

import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The login form. Each POST here, and on the password and logout resources, answers with a redirect
 * (post/redirect/get), so a reload never resubmits a password and every rendered form carries the CSRF token
 * of a GET.
 */
@Path(ConsoleAuthFilter.LOGIN)
@Blocking
@Produces(MediaType.TEXT_HTML)
public class LoginResource {

    private final ConsoleAccess access;
    private final ConsolePages pages;
    private final Duration lifetime;

    public LoginResource(ConsoleAccess access, ConsolePages pages, ConsoleConfig config) {
        this.access = access;
        this.pages = pages;
        this.lifetime = config.sessionLifetime();
    }

    @GET
    public TemplateInstance loginPage(@QueryParam("next") String next, @QueryParam("error") String error) {
        return pages.page("console/login", "login", null)
                .data("next", safeNext(next))
                .data("error", error == null ? "" : error);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response login(
            @FormParam("username") String username,
            @FormParam("password") String password,
            @FormParam("next") String next,
            @Context HttpServerRequest http,
            @Context UriInfo uri) {
        String address =
                http.remoteAddress() == null ? "unknown" : http.remoteAddress().hostAddress();
        LoginResult result = access.login(username, password, address);
        String target = safeNext(next);
        if (result.outcome() != LoginResult.Outcome.ACCEPTED) {
            String error = result.outcome() == LoginResult.Outcome.THROTTLED ? "throttled" : "credentials";
            return Response.seeOther(URI.create(ConsoleAuthFilter.LOGIN + "?error=" + error + "&next="
                            + URLEncoder.encode(target, StandardCharsets.UTF_8)))
                    .build();
        }
        String landing = result.user().mustChangePassword() ? ConsoleAuthFilter.PASSWORD : target;
        return Response.seeOther(URI.create(landing))
                .cookie(sessionCookie(result.token(), lifetime, secure(uri)))
                .build();
    }

    /** Only a console path of this gateway: never another host ({@code //evil}) or scheme. */
    static String safeNext(String next) {
        if (next == null
                || !ConsoleAuthFilter.isConsole(next.split("\\?", 2)[0])
                || next.startsWith("//")
                || next.contains("\\")
                || next.startsWith(ConsoleAuthFilter.LOGIN)) {
            return "/console";
        }
        return next;
    }

    static boolean secure(UriInfo uri) {
        return "https".equals(uri.getRequestUri().getScheme());
    }

    static NewCookie sessionCookie(String token, Duration maxAge, boolean secure) {
        return new NewCookie.Builder(ConsoleAuthFilter.COOKIE)
                .value(token)
                .path("/console")
                .httpOnly(true)
                .secure(secure)
                .sameSite(NewCookie.SameSite.STRICT)
                .maxAge((int) maxAge.toSeconds())
                .build();
    }
}

package dev.mecgw.app.console;

import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.time.Duration;

/** Ends the session on the server (the token no longer opens anything) and clears the cookie. */
@Path(ConsoleAuthFilter.LOGOUT)
@Blocking
public class LogoutResource {

    private final ConsoleAccess access;
    private final LiveStreams live;

    public LogoutResource(ConsoleAccess access, LiveStreams live) {
        this.access = access;
        this.live = live;
    }

    @POST
    public Response logout(
            @Context SecurityContext security,
            @CookieParam(ConsoleAuthFilter.COOKIE) String token,
            @Context UriInfo uri) {
        access.logout(ConsoleUser.of(security), token);
        // The session's live regions end with it, not at their next refresh.
        live.closeSession(token);
        return Response.seeOther(URI.create(ConsoleAuthFilter.LOGIN))
                .cookie(LoginResource.sessionCookie("", Duration.ZERO, LoginResource.secure(uri)))
                .build();
    }
}

package dev.mecgw.app.console;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Every console page is sent with {@code Cache-Control: no-store}: a page shows the site's devices, alarms and users,
 * and carries the session's CSRF token in its forms, so the browser keeps no copy (OWASP ASVS 8.2.1). A page taken
 * from the browser's cache after a logout would show the site to whoever sits at the screen, and a cached form would
 * post a token that no longer matches the token cookie, a 400 the operator cannot explain. Responses that chose
 * their own caching (camera snapshots) and everything that is not HTML (assets, event streams) are left alone.
 */
public class ConsoleCacheControl {

    static final String NO_STORE = "no-store";

    @ServerResponseFilter
    public void noStore(ContainerRequestContext request, ContainerResponseContext response) {
        MediaType type = response.getMediaType();
        if (ConsoleAuthFilter.isConsole(request.getUriInfo().getPath())
                && type != null
                && type.isCompatible(MediaType.TEXT_HTML_TYPE)
                && !response.getHeaders().containsKey(HttpHeaders.CACHE_CONTROL)) {
            response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, NO_STORE);
        }
    }
}

package dev.mecgw.app.admin;

import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.RestProblems;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Requires the admin bearer token on every {@code /api} request. Health, metrics and OpenAPI under
 * {@code /q} stay open for probes and scrapers.
 */
public class AdminTokenFilter {

    private static final String BEARER = "Bearer ";

    private final AdminToken token;

    public AdminTokenFilter(AdminToken token) {
        this.token = token;
    }

    @ServerRequestFilter(preMatching = true)
    public Response authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.equals("/api") && !path.startsWith("/api/")) {
            return null;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return RestProblems.response(ErrorKind.UNAUTHORIZED, "Missing bearer token", path, List.of());
        }
        if (!token.matches(header.substring(BEARER.length()).strip())) {
            return RestProblems.response(ErrorKind.UNAUTHORIZED, "Invalid bearer token", path, List.of());
        }
        return null;
    }
}

package dev.mecgw.cloud.admin;

import dev.mecgw.cloud.problem.ErrorKind;
import dev.mecgw.cloud.problem.RestProblems;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Requires the admin bearer token on every {@code /api} request; {@code /q} (health, metrics, OpenAPI) stays open. */
public class AdminTokenFilter {

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
        return token.refusal(request.getHeaderString(HttpHeaders.AUTHORIZATION))
                .map(reason -> RestProblems.response(ErrorKind.UNAUTHORIZED, reason, path, List.of()))
                .orElse(null);
    }
}

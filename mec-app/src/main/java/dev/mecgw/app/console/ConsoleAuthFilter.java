package dev.mecgw.app.console;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

/**
 * Guards every {@code /console} endpoint but the login page: a valid session cookie, a changed first password,
 * the operator role where the method is {@link OperatorOnly}, and a form body on every state-changing request
 * (whose CSRF token {@code quarkus-rest-csrf} then checks, after this filter). The user becomes the request's {@code SecurityContext} principal ({@link ConsoleUser#of}).
 * The {@code /api} admin token ({@code admin.AdminTokenFilter}) is untouched.
 */
public class ConsoleAuthFilter {

    /** The session cookie: HttpOnly, SameSite=Strict, Secure over HTTPS, path {@code /console}. */
    public static final String COOKIE = "mecgw_console";

    static final String LOGIN = "/console/login";
    static final String PASSWORD = "/console/password";
    static final String LOGOUT = "/console/logout";

    private static final Set<String> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    private final ConsoleAccess access;

    public ConsoleAuthFilter(ConsoleAccess access) {
        this.access = access;
    }

    /** Runs after matching (to see {@link OperatorOnly}), on the worker thread of the blocking console methods. */
    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Response authenticate(ResteasyReactiveContainerRequestContext request, ResourceInfo resource) {
        String path = request.getUriInfo().getPath();
        if (!isConsole(path)) {
            return null;
        }
        if (!SAFE.contains(request.getMethod()) && !isForm(request.getMediaType())) {
            // quarkus-rest-csrf checks the token of form posts only: a console action is always a form.
            return text(Response.Status.UNSUPPORTED_MEDIA_TYPE, "Console actions are HTML form posts");
        }
        if (path.equals(LOGIN)) {
            return null;
        }
        Cookie cookie = request.getCookies().get(COOKIE);
        Optional<ConsoleUser> found = access.session(cookie == null ? null : cookie.getValue());
        if (found.isEmpty()) {
            return toLogin(request, path);
        }
        ConsoleUser user = found.get();
        if (user.mustChangePassword() && !path.equals(PASSWORD) && !path.equals(LOGOUT)) {
            return redirect(request, PASSWORD);
        }
        if (requiresOperator(resource) && !user.operator()) {
            return text(Response.Status.FORBIDDEN, "Only an operator may do this");
        }
        boolean secure = "https".equals(request.getUriInfo().getRequestUri().getScheme());
        request.setSecurityContext(new ConsoleSecurityContext(user, secure));
        return null;
    }

    static boolean isConsole(String path) {
        return path.equals("/console") || path.startsWith("/console/");
    }

    private static boolean isForm(MediaType type) {
        return type != null
                && (type.isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE)
                        || type.isCompatible(MediaType.MULTIPART_FORM_DATA_TYPE));
    }

    private static boolean requiresOperator(ResourceInfo resource) {
        return resource != null
                && ((resource.getResourceMethod() != null
                                && resource.getResourceMethod().isAnnotationPresent(OperatorOnly.class))
                        || (resource.getResourceClass() != null
                                && resource.getResourceClass().isAnnotationPresent(OperatorOnly.class)));
    }

    private static Response toLogin(ResteasyReactiveContainerRequestContext request, String path) {
        if (request.getMethod().equals(HttpMethod.GET) && !isHtmx(request)) {
            String query = request.getUriInfo().getRequestUri().getRawQuery();
            String next = query == null ? path : path + "?" + query;
            return Response.seeOther(URI.create(LOGIN + "?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8)))
                    .build();
        }
        return Response.status(Response.Status.UNAUTHORIZED)
                .header("HX-Redirect", LOGIN)
                .type(MediaType.TEXT_PLAIN_TYPE)
                .entity("Log in first")
                .build();
    }

    private static Response redirect(ResteasyReactiveContainerRequestContext request, String target) {
        if (isHtmx(request)) {
            return Response.status(Response.Status.FORBIDDEN)
                    .header("HX-Redirect", target)
                    .build();
        }
        return Response.seeOther(URI.create(target)).build();
    }

    private static boolean isHtmx(ResteasyReactiveContainerRequestContext request) {
        return "true".equals(request.getHeaderString("HX-Request"));
    }

    private static Response text(Response.Status status, String message) {
        return Response.status(status)
                .type(MediaType.TEXT_PLAIN_TYPE)
                .entity(message)
                .build();
    }
}

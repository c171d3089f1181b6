package dev.mecgw.app.console;

import dev.mecgw.app.gateway.SecureRandomSource;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.Base64;

/**
 * Keeps the admin-token API ({@code /api}) working unchanged next to {@code quarkus-rest-csrf}, whose filter
 * applies to every endpoint and would refuse a multipart upload (a model) that carries no CSRF token. A request
 * with an {@code Authorization: Bearer} header cannot be forged by another site (a browser never adds that
 * header on its own), so it is given a matching token pair before the extension's check; whether the bearer
 * token is valid is still decided by {@code admin.AdminTokenFilter}. Console requests are never touched.
 */
public final class BearerCsrfExemption {

    private BearerCsrfExemption() {}

    /** The extension's defaults, which {@code application.properties} leaves unchanged. */
    static final String CSRF_COOKIE = "csrf-token";

    static final String CSRF_HEADER = "X-CSRF-TOKEN";

    /** Must equal {@code quarkus.rest-csrf.token-size} (default 16 bytes), which the extension checks. */
    private static final int TOKEN_BYTES = 16;

    /**
     * Gives a request to {@code /api} that carries a bearer token a matching CSRF cookie and header, before
     * Quarkus REST (and the cookie parser) sees it; call it from a Vert.x route handler placed before REST.
     */
    public static void pairTokenForBearerRequest(HttpServerRequest http) {
        String authorization = http.getHeader(HttpHeaders.AUTHORIZATION);
        if (!http.path().startsWith("/api/")
                || authorization == null
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                || http.getHeader(CSRF_HEADER) != null) {
            return;
        }
        String cookies = http.headers().get(HttpHeaders.COOKIE);
        if (cookies != null && cookies.contains(CSRF_COOKIE + "=")) {
            // A browser that also visited the console: strip its token rather than trust it blindly.
            cookies = String.join(
                    "; ",
                    java.util.Arrays.stream(cookies.split(";"))
                            .map(String::strip)
                            .filter(pair -> !pair.startsWith(CSRF_COOKIE + "="))
                            .toList());
        }
        byte[] random = new byte[TOKEN_BYTES];
        SecureRandomSource.nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        http.headers()
                .set(
                        HttpHeaders.COOKIE,
                        (cookies == null || cookies.isEmpty() ? "" : cookies + "; ") + CSRF_COOKIE + "=" + token)
                .set(CSRF_HEADER, token);
    }
}

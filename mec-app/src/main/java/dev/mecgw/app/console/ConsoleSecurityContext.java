package dev.mecgw.app.console;

import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;

/** The JAX-RS view of a console user: resources read it with {@code @Context SecurityContext}. */
final class ConsoleSecurityContext implements SecurityContext {

    private final ConsoleUser user;
    private final boolean secure;

    ConsoleSecurityContext(ConsoleUser user, boolean secure) {
        this.user = user;
        this.secure = secure;
    }

    @Override
    public Principal getUserPrincipal() {
        return user;
    }

    @Override
    public boolean isUserInRole(String role) {
        try {
            return user.role().allows(ConsoleRole.of(role));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public boolean isSecure() {
        return secure;
    }

    @Override
    public String getAuthenticationScheme() {
        return FORM_AUTH;
    }
}

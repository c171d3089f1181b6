package dev.mecgw.app.console;

import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;

/**
 * A logged-in console user, as the {@link ConsoleAuthFilter} found it for the current request.
 *
 * @param name the user name (what events record as {@code user})
 * @param role what the user may do
 * @param mustChangePassword true until the user replaced a password set by someone else (first login)
 */
public record ConsoleUser(String name, ConsoleRole role, boolean mustChangePassword) implements Principal {

    @Override
    public String getName() {
        return name;
    }

    /** Whether this user may act (send commands, acknowledge, change desired state). */
    public boolean operator() {
        return role.allows(ConsoleRole.OPERATOR);
    }

    /**
     * The console user of a request that passed the {@link ConsoleAuthFilter}: every {@code /console} resource
     * method but the login page can take {@code @Context SecurityContext} and call this.
     *
     * @throws IllegalStateException when the request did not pass the console filter (a bug in the caller)
     */
    public static ConsoleUser of(SecurityContext security) {
        if (security != null && security.getUserPrincipal() instanceof ConsoleUser user) {
            return user;
        }
        throw new IllegalStateException("not a console request: no console user");
    }
}

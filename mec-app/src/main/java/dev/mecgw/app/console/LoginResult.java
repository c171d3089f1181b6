package dev.mecgw.app.console;

/**
 * What a login attempt gave.
 *
 * @param outcome accepted, refused, or refused without checking because of too many recent failures
 * @param user the user, only when accepted
 * @param token the new session token for the cookie, only when accepted (never logged)
 */
public record LoginResult(Outcome outcome, ConsoleUser user, String token) {

    /** The three ways a login ends. */
    public enum Outcome {
        ACCEPTED,
        BAD_CREDENTIALS,
        THROTTLED
    }

    static LoginResult refused(Outcome outcome) {
        return new LoginResult(outcome, null, null);
    }
}

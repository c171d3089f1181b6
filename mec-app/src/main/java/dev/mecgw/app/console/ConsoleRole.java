package dev.mecgw.app.console;

import java.util.Locale;

/**
 * What a console user may do. A viewer reads every screen; an operator also acts (commands, desired state,
 * acknowledgements, rollouts, models). Stored in {@code console_users.role} by {@link #value()}.
 */
public enum ConsoleRole {
    VIEWER,
    OPERATOR;

    /** Whether this role includes {@code required} (an operator may do what a viewer may). */
    public boolean allows(ConsoleRole required) {
        return ordinal() >= required.ordinal();
    }

    /** The stored, lower-case name: {@code viewer} or {@code operator}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a stored or requested role name.
     *
     * @throws IllegalArgumentException for anything but {@code viewer} or {@code operator}
     */
    public static ConsoleRole of(String value) {
        for (ConsoleRole role : values()) {
            if (role.value().equals(value)) {
                return role;
            }
        }
        throw new IllegalArgumentException("role must be viewer or operator");
    }
}

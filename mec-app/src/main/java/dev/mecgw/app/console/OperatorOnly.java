package dev.mecgw.app.console;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a console resource method (or a whole resource class) that only an {@link ConsoleRole#OPERATOR} may
 * call; the {@link ConsoleAuthFilter} answers 403 to a viewer before the method runs. Every other
 * {@code /console} method needs a logged-in user of any role.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface OperatorOnly {}

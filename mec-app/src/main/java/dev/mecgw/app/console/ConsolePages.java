package dev.mecgw.app.console;

import io.quarkus.qute.Engine;
import io.quarkus.qute.TemplateInstance;

/**
 * Renders console pages from the Qute templates under {@code templates/console/}. A screen's template
 * starts with {@code {#include console/base}} and fills its {@code title} and {@code main} blocks; every page
 * gets {@code user} (a {@link ConsoleUser}, null on the login page), {@code screen} (which navigation entry is
 * current) and {@code version} (the gateway's). Thread-safe.
 */
public final class ConsolePages {

    private final Engine engine;
    private final String version;

    public ConsolePages(Engine engine, String version) {
        this.engine = engine;
        this.version = version;
    }

    /**
     * A full page of one screen.
     *
     * @param template the template's id without suffix, e.g. {@code console/overview}
     * @param screen the navigation entry to mark current: {@code overview}, {@code devices}, {@code alarms},
     *     {@code cameras}, {@code updates} or {@code sync}
     * @param user the logged-in user ({@link ConsoleUser#of}), or null on pages shown before login
     * @throws IllegalArgumentException when there is no such template
     */
    public TemplateInstance page(String template, String screen, ConsoleUser user) {
        return fragment(template).data("user", user).data("screen", screen).data("version", version);
    }

    /** The gateway's version, as every page shows it. */
    public String version() {
        return version;
    }

    /** A template without the layout's data, e.g. a fragment that htmx swaps into a page. */
    public TemplateInstance fragment(String template) {
        var found = engine.getTemplate(template);
        if (found == null) {
            throw new IllegalArgumentException("no console template " + template);
        }
        return found.instance();
    }
}

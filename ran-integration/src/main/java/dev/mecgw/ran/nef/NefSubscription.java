package dev.mecgw.ran.nef;

import java.net.URI;

/**
 * A subscription resource created at the NEF.
 *
 * @param self the resource URI (from {@code Location}), used to update or delete it
 */
public record NefSubscription(URI self) {}

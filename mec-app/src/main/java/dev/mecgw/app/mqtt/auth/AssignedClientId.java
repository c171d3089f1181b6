package dev.mecgw.app.mqtt.auth;

import dev.mecgw.app.acl.Principal;
import dev.mecgw.app.gateway.SecureRandomSource;
import java.util.HexFormat;

/**
 * The client id the broker assigns when a CONNECT carries an empty one (MQTT 5 section 3.1.3.1, returned in
 * CONNACK's Assigned Client Identifier; MQTT 3.1.1 section 3.1.3.1 with clean session). A device gets
 * {@code <deviceId>-<random>}, so the id stays bound to it by {@link ClientIdBinding}'s naming rule; an anonymous
 * client gets a random id. Thread-safe.
 */
public final class AssignedClientId {

    /** 12 random bytes: collisions between live sessions are out of reach. */
    private static final int RANDOM_BYTES = 12;

    private AssignedClientId() {}

    /** True when the CONNECT's client id is empty, i.e. the broker must assign one. */
    public static boolean isRequested(String clientId) {
        return clientId == null || clientId.isEmpty();
    }

    /**
     * @param principal who authenticated
     * @return a fresh client id bound to the principal
     */
    public static String forPrincipal(Principal principal) {
        byte[] bytes = new byte[RANDOM_BYTES];
        SecureRandomSource.nextBytes(bytes);
        String random = HexFormat.of().formatHex(bytes);
        return principal.isAnonymous() ? "auto-" + random : principal.deviceId() + "-" + random;
    }
}

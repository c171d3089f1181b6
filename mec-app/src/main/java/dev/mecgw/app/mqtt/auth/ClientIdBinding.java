package dev.mecgw.app.mqtt.auth;

import dev.mecgw.app.acl.Principal;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import java.util.Objects;
import java.util.Optional;

/**
 * Which MQTT client ids an authenticated principal may use (issue 15, item 8). A client id names a session, and
 * a session holds commands already accepted for a device, so one device must not be able to take over another's:
 * <ul>
 * <li>an authenticated device may use its device id, or an id starting with {@code <deviceId>-} or
 *     {@code <deviceId>:} (several connections of one device, e.g. {@code pump-7-telemetry});</li>
 * <li>an anonymous client (only when {@code mecgw.mqtt.allow-anonymous} is on) may use any id;</li>
 * <li>whoever connects, a client id whose session belongs to another principal is refused, so that prefixes
 *     that overlap (devices {@code a} and {@code a-b}) cannot take each other's sessions either.</li>
 * </ul>
 * A refusal is BAD_REQUEST, on the wire CONNACK 0x85 "client identifier not valid" (MQTT 5) or 0x02
 * "identifier rejected" (3.1.1). Pure functions.
 */
public final class ClientIdBinding {

    private ClientIdBinding() {}

    /**
     * @param principal who authenticated
     * @param clientId the client id of the CONNECT
     * @param holder the principal owning the client id's current session, or null when there is none
     * @return the refusal, or empty when the principal may use the id
     */
    public static Optional<GatewayException> check(Principal principal, String clientId, Principal holder) {
        if (!principal.isAnonymous() && !isBound(principal.deviceId(), clientId)) {
            return Optional.of(new GatewayException(
                    ErrorKind.BAD_REQUEST,
                    "Client id must be the device id or start with '" + principal.deviceId() + "-'"));
        }
        if (holder != null && !Objects.equals(holder.deviceId(), principal.deviceId())) {
            return Optional.of(new GatewayException(ErrorKind.BAD_REQUEST, "Client id is in use by another device"));
        }
        return Optional.empty();
    }

    /** True when the client id is bound to the device by the naming rule above. */
    static boolean isBound(String deviceId, String clientId) {
        if (clientId == null || !clientId.startsWith(deviceId)) {
            return false;
        }
        if (clientId.length() == deviceId.length()) {
            return true;
        }
        char separator = clientId.charAt(deviceId.length());
        return separator == '-' || separator == ':';
    }
}

package dev.mecgw.app.acl;

/**
 * Who is talking to a protocol front-end, as established by authentication.
 *
 * @param deviceId registered device id, or null for an anonymous client
 * @param deviceType the device's registry type (rules select devices by it), null when anonymous
 */
public record Principal(String deviceId, String deviceType) {

    private static final Principal ANONYMOUS = new Principal(null, null);

    /** The principal of a client that presented no credentials (only when anonymous access is on). */
    public static Principal anonymous() {
        return ANONYMOUS;
    }

    /** True for an unauthenticated client. */
    public boolean isAnonymous() {
        return deviceId == null;
    }
}

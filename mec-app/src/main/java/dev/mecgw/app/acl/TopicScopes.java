package dev.mecgw.app.acl;

import java.util.List;

/**
 * Confines devices to a set of topics on top of the ACL rules, e.g. the allowed topics of the 5G slice a
 * device is connected through (issue #7). A scope only ever narrows what the rules allow.
 */
@FunctionalInterface
public interface TopicScopes {

    /** No device is confined. */
    TopicScopes NONE = deviceId -> List.of();

    /**
     * @param deviceId an authenticated device
     * @return the MQTT topic filters the device is confined to; empty when it is not confined. Cheap,
     *     non-blocking and thread-safe: called for every message.
     */
    List<String> scopeOf(String deviceId);
}

package dev.mecgw.app.ran;

import dev.mecgw.app.acl.TopicScopes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The allowed topics of the slice each device was last admitted through (issue #7): the ACL confines a
 * device to them. Set by {@link SimNetworkAdmission} when the network admits a device through a slice; a
 * connection from outside every slice does not lift it (issue 15.10), a later admission through another slice
 * replaces it. {@code {device}} in a filter stands for the device id.
 * Thread-safe; lookups are one map read.
 */
public class SliceTopicScopes implements TopicScopes {

    /** Placeholder for the device id in {@code mecgw.ran.slices.<name>.allowed-topics}. */
    static final String DEVICE = "{device}";

    private final Map<String, List<String>> scopes = new ConcurrentHashMap<>();

    @Override
    public List<String> scopeOf(String deviceId) {
        List<String> scope = scopes.get(deviceId);
        return scope == null ? List.of() : scope;
    }

    /** Confines the device to the filters; an empty list lifts any confinement (front-end defaults). */
    void confine(String deviceId, List<String> filters) {
        if (filters.isEmpty()) {
            scopes.remove(deviceId);
            return;
        }
        scopes.put(
                deviceId,
                filters.stream().map(filter -> filter.replace(DEVICE, deviceId)).toList());
    }
}

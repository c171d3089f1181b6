package dev.mecgw.app.inference;

import dev.mecgw.app.registry.Device;
import dev.mecgw.app.registry.DeviceFilter;
import dev.mecgw.app.registry.DevicePage;
import dev.mecgw.app.registry.DeviceRegistry;
import dev.mecgw.inference.camera.CameraPulls;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Keeps the MJPEG pulls equal to the registry: every device of the camera type whose URL label holds an
 * absolute http(s) URL is pulled; a removed label, a changed URL or a deleted device stops or restarts its
 * pull at the next {@link #refresh()}. Blocks on the database; call it from a worker.
 */
public class MjpegCameraSources {

    private static final Logger LOG = Logger.getLogger(MjpegCameraSources.class);
    private static final int PAGE = 200;

    private final DeviceRegistry registry;
    private final CameraPulls pulls;
    private final String deviceType;
    private final String urlLabel;
    /** Devices already warned about, with the label value's hash, so that a bad URL is reported once. */
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    public MjpegCameraSources(DeviceRegistry registry, CameraPulls pulls, String deviceType, String urlLabel) {
        this.registry = registry;
        this.pulls = pulls;
        this.deviceType = deviceType;
        this.urlLabel = urlLabel;
    }

    /** Reads the camera devices and starts, restarts or stops pulls to match. */
    public void refresh() {
        Map<String, URI> wanted = new HashMap<>();
        for (int page = 0; ; page++) {
            DevicePage devices = registry.list(new DeviceFilter(deviceType, null, null, null), page, PAGE);
            for (Device device : devices.items()) {
                // the label holds the URL without user info; the credentials are a write-only secret (issue 14.9)
                String value = device.labels().containsKey(urlLabel)
                        ? registry.labelWithSecret(device.id(), urlLabel).orElse(null)
                        : null;
                if (value != null) {
                    url(device.id(), value).ifPresent(url -> wanted.put(device.id(), url));
                }
            }
            if (devices.items().size() < PAGE) {
                break;
            }
        }
        pulls.reconcile(wanted);
    }

    private Optional<URI> url(String deviceId, String value) {
        try {
            URI url = new URI(value.trim());
            if (CameraPulls.pullable(url)) {
                return Optional.of(url);
            }
        } catch (java.net.URISyntaxException e) {
            // Reported below without echoing the value: it may hold a password.
        }
        if (warned.add(deviceId + "#" + value.hashCode())) {
            LOG.warnf(
                    "Camera %s: label %s is not an absolute http(s) URL; the camera is not pulled", deviceId, urlLabel);
        }
        return Optional.empty();
    }
}

package dev.mecgw.app.registry;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * Tells the protocol front-ends that a device's access ended (issue 15, item 9): it was deleted, its password,
 * PSK or certificate changed, its SIM, slice or type changed, or the 5G network refused its SIM. Each front-end
 * then closes the device's live connections and DTLS sessions and forgets cached verifications at once, instead
 * of letting them run until they idle out. Listeners are called on the caller's thread, after the change is
 * committed, and may wait briefly (a
 * front-end confirms its sessions ended before the change returns). Thread-safe.
 */
public final class DeviceRevocations {

    /** The device was deleted. */
    public static final String DELETED = "deleted";
    /** A secret (password, PSK, certificate fingerprint) was replaced. */
    public static final String CREDENTIALS_CHANGED = "credentials-changed";
    /** Type, SIM or slice changed: rights and network identity must be checked again. */
    public static final String IDENTITY_CHANGED = "identity-changed";
    /** The 5G network's SIM identity check refused the device. */
    public static final String SIM_CHECK_FAILED = "sim-check-failed";

    private static final Logger LOG = Logger.getLogger(DeviceRevocations.class);

    private final List<BiConsumer<String, String>> listeners = new CopyOnWriteArrayList<>();

    /** @param listener called with (device id, reason) for every revocation from now on */
    public void subscribe(BiConsumer<String, String> listener) {
        listeners.add(listener);
    }

    /** Revokes the device's live sessions in every front-end; a failing listener does not stop the others. */
    public void revoke(String deviceId, String reason) {
        LOG.infof("Closing live sessions of device %s (%s)", deviceId, reason);
        for (BiConsumer<String, String> listener : listeners) {
            try {
                listener.accept(deviceId, reason);
            } catch (RuntimeException e) {
                LOG.warnf("Sessions of %s not closed by %s: %s", deviceId, listener, e.getMessage());
            }
        }
    }
}

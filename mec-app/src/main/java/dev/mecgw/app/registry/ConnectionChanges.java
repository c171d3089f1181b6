package dev.mecgw.app.registry;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Tells the southbound clients (issue 21) that a device was created, updated or deleted, after the change is
 * committed, so that they start, restart or stop the device's connection. Listeners are called on the caller's
 * thread and must return quickly. Thread-safe.
 */
public final class ConnectionChanges {

    private static final Logger LOG = Logger.getLogger(ConnectionChanges.class);

    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    /** @param listener called with the device id of every change from now on */
    public void subscribe(Consumer<String> listener) {
        listeners.add(listener);
    }

    /** Announces a committed change of the device; a failing listener does not stop the others. */
    public void changed(String deviceId) {
        for (Consumer<String> listener : listeners) {
            try {
                listener.accept(deviceId);
            } catch (RuntimeException e) {
                LOG.warnf("Connection change of %s not handled by %s: %s", deviceId, listener, e.getMessage());
            }
        }
    }
}

package dev.mecgw.app.twin;

import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.logging.Logger;

/** {@link DeviceUpdatePublisher} that calls its listeners synchronously on the publishing thread. */
class InProcessDeviceUpdatePublisher implements DeviceUpdatePublisher {

    private static final Logger LOG = Logger.getLogger(InProcessDeviceUpdatePublisher.class);

    private final CopyOnWriteArrayList<DeviceUpdateListener> listeners = new CopyOnWriteArrayList<>();

    @Override
    public void publishCommand(DeviceCommand command) {
        for (DeviceUpdateListener listener : listeners) {
            try {
                listener.onCommand(command);
            } catch (RuntimeException e) {
                // One broken front-end must not keep the command from the others.
                LOG.warnf(e, "Listener failed on command %s for %s", command.commandId(), command.deviceId());
            }
        }
    }

    @Override
    public void publishDesired(DesiredTwin twin) {
        for (DeviceUpdateListener listener : listeners) {
            try {
                listener.onDesiredChanged(twin);
            } catch (RuntimeException e) {
                LOG.warnf(e, "Listener failed on desired twin v%d for %s", twin.version(), twin.deviceId());
            }
        }
    }

    @Override
    public AutoCloseable subscribe(DeviceUpdateListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}

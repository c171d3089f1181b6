package dev.mecgw.app.twin;

/**
 * Receives device-bound updates from {@link DeviceUpdatePublisher}. Called on the publisher's thread;
 * implementations must return quickly and never block.
 */
public interface DeviceUpdateListener {

    /** A command was issued for {@code command.deviceId()}. */
    void onCommand(DeviceCommand command);

    /** The desired twin of {@code twin.deviceId()} changed. */
    void onDesiredChanged(DesiredTwin twin);
}

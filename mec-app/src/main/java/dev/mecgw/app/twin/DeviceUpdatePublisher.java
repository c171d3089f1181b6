package dev.mecgw.app.twin;

/**
 * In-process fan-out of device-bound updates to the protocol front-ends that push them (CoAP Observe).
 * The command and twin services call the {@code publish} methods after their change is committed; a
 * publication never fails the caller. Thread-safe.
 */
public interface DeviceUpdatePublisher {

    /** Announces a committed command to every listener. */
    void publishCommand(DeviceCommand command);

    /** Announces a committed change of the desired twin to every listener. */
    void publishDesired(DesiredTwin twin);

    /** Registers a listener until the returned handle is closed. */
    AutoCloseable subscribe(DeviceUpdateListener listener);

    /** Calls the subscribed front-ends synchronously on the publishing thread; one failing listener skips none. */
    static DeviceUpdatePublisher inProcess() {
        return new InProcessDeviceUpdatePublisher();
    }
}

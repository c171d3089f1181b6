package dev.mecgw.app.twin;

import dev.mecgw.app.acl.DeviceTopic;
import java.util.concurrent.CompletionStage;

/**
 * Hands a committed desired twin to the devices, the one way every writer of the desired twin does it (the twin API,
 * the console, OTA and the cloud downlink): offered to CoAP observers of {@code /twin/desired}, and sent retained at
 * QoS 1 on {@code devices/{id}/twin/desired}, so that a device offline now gets it when it subscribes again.
 * Thread-safe; what it pushes must already be stored.
 *
 * @param coap the CoAP front-end's fan-out of device-bound updates
 * @param mqtt the broker
 */
public record DesiredTwinPush(DeviceUpdatePublisher coap, DeviceMessenger mqtt) {

    /**
     * Offers the twin to CoAP observers (never fails), then to the broker.
     *
     * @return as {@link DeviceMessenger#send}: completes once the broker stored the retained message and every copy
     *     for an offline persistent session; fails when it could not
     */
    public CompletionStage<Void> push(DesiredTwin twin) {
        coap.publishDesired(twin);
        return mqtt.send(DeviceTopic.desiredTwin(twin.deviceId()), twin.desired(), 1, true);
    }
}

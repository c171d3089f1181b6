package dev.mecgw.ran.identity;

/**
 * A device created zero-touch, with the secret issued to it.
 *
 * @param device the new device
 * @param password the generated MQTT/CoAP password, in clear; handed once to the operator, never logged
 */
public record OnboardedDevice(RegisteredDevice device, String password) {

    @Override
    public String toString() {
        return "OnboardedDevice[device=" + device + ", password=***]";
    }
}

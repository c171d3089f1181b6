package dev.mecgw.devices.mqtt;

/**
 * Where the gateway's MQTT listener is.
 *
 * @param host host name or address, e.g. {@code 127.0.0.1}
 * @param port TCP port, e.g. 1883
 */
public record MqttEndpoint(String host, int port) {}

package dev.mecgw.app.ingest;

import java.time.Instant;

/**
 * One message as a device sent it to an ingest front-end, for the console's "last raw messages" of a device (issue
 * 19). Only application messages: never a CONNECT, a DTLS handshake or anything else that carries a credential.
 *
 * @param deviceId the device that sent it (authenticated, or registered for unsecured CoAP)
 * @param protocol {@code mqtt} or {@code coap}
 * @param address the MQTT topic or the CoAP method and path
 * @param delivery how it was sent: {@code QoS 0..2} or {@code CON}/{@code NON}
 * @param payload the payload as received; the receiving log keeps a bounded copy, so callers need not copy
 * @param receivedAt when the front-end received it
 * @param rejection why it was refused (the client-safe reason), or null when it was stored
 */
public record RawMessage(
        String deviceId,
        String protocol,
        String address,
        String delivery,
        byte[] payload,
        Instant receivedAt,
        String rejection) {

    /** Whether the gateway stored it (the device got a success answer). */
    public boolean stored() {
        return rejection == null;
    }
}

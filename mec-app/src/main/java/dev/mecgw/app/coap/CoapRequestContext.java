package dev.mecgw.app.coap;

import java.net.InetSocketAddress;
import java.time.Instant;

/**
 * What the auth step learned about one request; travels from the authenticator to the resource.
 *
 * @param deviceId the device authenticated by DTLS, or null for an unauthenticated (plain CoAP) peer
 * @param peer the peer's address
 * @param requestSize size of the request datagram in bytes, the bound for any answer to an
 *     unauthenticated peer (no amplification)
 * @param receivedAt receive time
 */
record CoapRequestContext(String deviceId, InetSocketAddress peer, int requestSize, Instant receivedAt) {

    /** Whether the peer is authenticated by DTLS. */
    public boolean authenticated() {
        return deviceId != null;
    }
}

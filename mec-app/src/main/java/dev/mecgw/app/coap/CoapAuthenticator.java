package dev.mecgw.app.coap;

import java.security.Principal;
import java.time.Instant;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.elements.auth.PreSharedKeyIdentity;

/**
 * Turns the DTLS peer identity of a request into a {@link CoapRequestContext}. The DTLS layer has already
 * authenticated the key (see {@link RegistryPskStore}); a plain CoAP request has no peer identity and stays
 * unauthenticated. Stateless and thread-safe.
 */
public final class CoapAuthenticator {

    /** The context of a request. */
    public CoapRequestContext authenticate(Request request) {
        String deviceId = deviceId(request);
        byte[] raw = request.getBytes();
        int size = raw != null ? raw.length : request.getPayloadSize();
        return new CoapRequestContext(deviceId, request.getSourceContext().getPeerAddress(), size, Instant.now());
    }

    /** The device id authenticated by DTLS PSK for a request, or null for a plain CoAP request. */
    public static String deviceId(Request request) {
        Principal principal = request.getSourceContext().getPeerIdentity();
        return principal instanceof PreSharedKeyIdentity psk ? psk.getIdentity() : null;
    }
}

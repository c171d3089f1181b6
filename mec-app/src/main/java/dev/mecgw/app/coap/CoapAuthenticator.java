package dev.mecgw.app.coap;

import java.security.Principal;
import java.time.Instant;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.elements.auth.ExtensiblePrincipal;
import org.eclipse.californium.elements.auth.PreSharedKeyIdentity;

/**
 * Turns the DTLS peer identity of a request into a {@link CoapRequestContext}. The DTLS layer has already
 * authenticated the key (see {@link RegistryPskStore}, {@link RegistryCertificateVerifier}); a plain CoAP
 * request has no peer identity and stays unauthenticated. Stateless and thread-safe.
 */
final class CoapAuthenticator {

    /** The context of a request. */
    public CoapRequestContext authenticate(Request request) {
        String deviceId = deviceId(request);
        byte[] raw = request.getBytes();
        int size = raw != null ? raw.length : request.getPayloadSize();
        return new CoapRequestContext(deviceId, request.getSourceContext().getPeerAddress(), size, Instant.now());
    }

    /** The device id authenticated by DTLS (PSK or registered certificate), or null for plain CoAP. */
    public static String deviceId(Request request) {
        return deviceId(request.getSourceContext().getPeerIdentity());
    }

    /** The device id of a DTLS peer identity (PSK identity or registered certificate), or null. */
    public static String deviceId(Principal principal) {
        if (principal instanceof PreSharedKeyIdentity psk) {
            return psk.getIdentity();
        }
        if (principal instanceof ExtensiblePrincipal<?> certificate) {
            // Set by RegistryCertificateVerifier for a registered client certificate.
            return certificate.getExtendedInfo().get(RegistryCertificateVerifier.DEVICE_ID, String.class);
        }
        return null;
    }
}

package dev.mecgw.app.credentials;

import dev.mecgw.app.acl.Principal;
import dev.mecgw.app.events.EventLog;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Client-certificate authentication shared by MQTT over TLS and CoAP over DTLS (issue 15, item 11): the
 * registered SHA-256 fingerprint names the device, and the certificate must also be within its validity
 * dates and, when {@code mecgw.credentials.client-ca} is set, chain to one of those CAs. A registered
 * certificate that fails either check is refused with a {@code credentials.certificate-refused} event
 * (reason, fingerprint, validity dates; no key material). Blocking (database, event log): call on a worker.
 * Thread-safe.
 */
public final class ClientCertificates {

    private final DeviceCertificates registered;
    private final EventLog events;
    private final Clock clock;
    private final Set<TrustAnchor> anchors;

    /**
     * @param registered the fingerprint lookup
     * @param events where refusals are recorded
     * @param clock the time validity dates are checked against
     * @param trustedCas CA certificates a client certificate must chain to; empty checks the fingerprint only
     */
    public ClientCertificates(
            DeviceCertificates registered, EventLog events, Clock clock, List<X509Certificate> trustedCas) {
        this.registered = registered;
        this.events = events;
        this.clock = clock;
        this.anchors = trustedCas.stream().map(ca -> new TrustAnchor(ca, null)).collect(Collectors.toUnmodifiableSet());
    }

    /** Fingerprint and validity dates only, no events; for tests and tools. */
    public static ClientCertificates fingerprintsOnly(DeviceCertificates registered) {
        return new ClientCertificates(
                registered, (device, kind, severity, payload) -> {}, Clock.systemUTC(), List.of());
    }

    /**
     * The device a presented certificate chain authenticates.
     *
     * @param chain the peer's chain, leaf first
     * @param protocol {@code mqtt} or {@code coap}, for the event
     * @return the device; empty when the leaf's fingerprint is not registered (another credential may decide)
     * @throws GatewayException FORBIDDEN when the certificate is registered but expired, not yet valid or not
     *     issued by a configured CA; UNAVAILABLE when the registry cannot be read
     */
    public Optional<Principal> deviceFor(List<X509Certificate> chain, String protocol) {
        X509Certificate leaf = chain.get(0);
        String fingerprint = fingerprint(leaf);
        Optional<Principal> device = registered.deviceFor(fingerprint);
        if (device.isEmpty()) {
            return device;
        }
        Optional<String> refusal = refusal(chain);
        if (refusal.isPresent()) {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("protocol", protocol);
            payload.put("reason", refusal.get());
            payload.put("fingerprint", fingerprint);
            payload.put("notBefore", leaf.getNotBefore().toInstant().toString());
            payload.put("notAfter", leaf.getNotAfter().toInstant().toString());
            events.record(device.get().deviceId(), "credentials.certificate-refused", "warning", payload);
            throw new GatewayException(ErrorKind.FORBIDDEN, "Client certificate " + refusal.get());
        }
        return device;
    }

    /** Why the chain is not acceptable now ({@code expired}, {@code not yet valid}, {@code not issued by a trusted CA}). */
    Optional<String> refusal(List<X509Certificate> chain) {
        Date now = Date.from(clock.instant());
        try {
            chain.get(0).checkValidity(now);
        } catch (CertificateExpiredException e) {
            return Optional.of("expired");
        } catch (CertificateNotYetValidException e) {
            return Optional.of("not yet valid");
        }
        if (anchors.isEmpty()) {
            return Optional.empty();
        }
        try {
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            parameters.setDate(now);
            CertPathValidator.getInstance("PKIX")
                    .validate(CertificateFactory.getInstance("X.509").generateCertPath(chain), parameters);
            return Optional.empty();
        } catch (GeneralSecurityException e) {
            return Optional.of("not issued by a trusted CA");
        }
    }

    /** Lower-case hex SHA-256 of the DER encoding, as registered. */
    public static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new GatewayException(ErrorKind.UNAUTHORIZED, "Unreadable client certificate");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}

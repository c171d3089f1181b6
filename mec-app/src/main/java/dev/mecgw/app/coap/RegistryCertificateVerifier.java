package dev.mecgw.app.coap;

import dev.mecgw.app.credentials.ClientCertificates;
import dev.mecgw.app.problem.GatewayException;
import java.net.InetSocketAddress;
import java.security.cert.CertPath;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import javax.security.auth.x500.X500Principal;
import org.eclipse.californium.elements.auth.AdditionalInfo;
import org.eclipse.californium.scandium.auth.ApplicationLevelInfoSupplier;
import org.eclipse.californium.scandium.dtls.AlertMessage;
import org.eclipse.californium.scandium.dtls.AlertMessage.AlertDescription;
import org.eclipse.californium.scandium.dtls.AlertMessage.AlertLevel;
import org.eclipse.californium.scandium.dtls.CertificateMessage;
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.CertificateVerificationResult;
import org.eclipse.californium.scandium.dtls.ConnectionId;
import org.eclipse.californium.scandium.dtls.HandshakeException;
import org.eclipse.californium.scandium.dtls.HandshakeResultHandler;
import org.eclipse.californium.scandium.dtls.x509.NewAdvancedCertificateVerifier;
import org.eclipse.californium.scandium.util.ServerNames;

/**
 * DTLS client-certificate authentication as in MQTT: a device is identified by the SHA-256 fingerprint of
 * its (usually self-signed) certificate registered in the registry, not by a CA. Scandium checks the
 * CertificateVerify signature (possession of the key); this verifier has {@link ClientCertificates} look the
 * fingerprint up and check validity dates (and an optional CA) on a worker, and hands the device id on as the handshake's custom argument, which
 * {@link #deviceInfo()} attaches to the peer's principal for {@link CoapAuthenticator}.
 */
class RegistryCertificateVerifier implements NewAdvancedCertificateVerifier {

    /** Key of the device id in the principal's additional info. */
    public static final String DEVICE_ID = "mecgw.device-id";

    private final ClientCertificates certificates;
    private final Executor lookups;
    private volatile HandshakeResultHandler resultHandler;

    public RegistryCertificateVerifier(ClientCertificates certificates, Executor lookups) {
        this.certificates = certificates;
        this.lookups = lookups;
    }

    /** Attaches the device id found during the handshake to the peer's principal. */
    public static ApplicationLevelInfoSupplier deviceInfo() {
        return (principal, custom) -> custom instanceof String deviceId
                ? AdditionalInfo.from(Map.of(DEVICE_ID, deviceId))
                : AdditionalInfo.empty();
    }

    @Override
    public List<CertificateType> getSupportedCertificateTypes() {
        return List.of(CertificateType.X_509);
    }

    @Override
    public CertificateVerificationResult verifyCertificate(
            ConnectionId cid,
            ServerNames serverName,
            InetSocketAddress remotePeer,
            boolean clientUsage,
            boolean verifySubject,
            boolean truncateCertificatePath,
            CertificateMessage message) {
        CertPath chain = message.getCertificateChain();
        if (chain == null || chain.getCertificates().isEmpty()) {
            return rejected(cid, "no client certificate");
        }
        // Validity dates (and the CA, if configured) are checked by ClientCertificates after the lookup, so that
        // a registered device's expired certificate leaves an event naming the device (issue 15.11).
        try {
            lookups.execute(() -> resultHandler.apply(lookup(cid, chain)));
        } catch (RejectedExecutionException e) {
            return rejected(cid, "gateway busy");
        }
        return null;
    }

    private CertificateVerificationResult lookup(ConnectionId cid, CertPath chain) {
        try {
            List<X509Certificate> certificates = chain.getCertificates().stream()
                    .map(X509Certificate.class::cast)
                    .toList();
            return this.certificates
                    .deviceFor(certificates, "coap")
                    .map(device -> new CertificateVerificationResult(cid, chain, device.deviceId()))
                    .orElseGet(() -> rejected(cid, "certificate not registered"));
        } catch (GatewayException e) {
            return rejected(cid, e.getMessage());
        } catch (RuntimeException e) {
            return rejected(cid, "registry unavailable");
        }
    }

    private static CertificateVerificationResult rejected(ConnectionId cid, String reason) {
        return new CertificateVerificationResult(
                cid,
                new HandshakeException(reason, new AlertMessage(AlertLevel.FATAL, AlertDescription.BAD_CERTIFICATE)),
                null);
    }

    @Override
    public List<X500Principal> getAcceptedIssuers() {
        // Self-signed device certificates: no CA list is sent in the CertificateRequest.
        return List.of();
    }

    @Override
    public void setResultHandler(HandshakeResultHandler resultHandler) {
        this.resultHandler = resultHandler;
    }
}

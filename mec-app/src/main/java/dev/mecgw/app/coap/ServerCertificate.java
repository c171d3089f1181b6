package dev.mecgw.app.coap;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import org.eclipse.californium.scandium.dtls.x509.NewAdvancedCertificateVerifier;

/**
 * The gateway's DTLS certificate and the verifier for device certificates.
 *
 * @param key the gateway's private key (EC)
 * @param chain the gateway's certificate chain, leaf first
 * @param verifier decides which client certificates are accepted and for which device
 */
record ServerCertificate(PrivateKey key, X509Certificate[] chain, NewAdvancedCertificateVerifier verifier) {}

package dev.mecgw.app.mqtt.auth;

import io.vertx.mqtt.MqttEndpoint;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * What a client presented in CONNECT, handed along the auth chain.
 *
 * @param clientId MQTT client identifier (may be empty)
 * @param username user name or null
 * @param password password or null; never logged
 * @param clientChain the TLS client certificate chain, leaf first; empty without one
 * @param sourceAddress the peer's IP address as text, or null when unknown (throttling of failed attempts)
 */
public record ConnectRequest(
        String clientId, String username, String password, List<X509Certificate> clientChain, String sourceAddress) {

    /** Copies the chain. */
    public ConnectRequest {
        clientChain = List.copyOf(clientChain);
    }

    /** What the endpoint's CONNECT (and, over TLS, its handshake) presented. */
    public static ConnectRequest of(MqttEndpoint endpoint) {
        return new ConnectRequest(
                endpoint.clientIdentifier(),
                endpoint.auth() == null ? null : endpoint.auth().getUsername(),
                endpoint.auth() == null ? null : endpoint.auth().getPassword(),
                clientChain(endpoint),
                endpoint.remoteAddress() == null
                        ? null
                        : endpoint.remoteAddress().hostAddress());
    }

    /** The TLS client certificate, or null. */
    public X509Certificate clientCertificate() {
        return clientChain.isEmpty() ? null : clientChain.get(0);
    }

    private static List<X509Certificate> clientChain(MqttEndpoint endpoint) {
        if (!endpoint.isSsl() || endpoint.sslSession() == null) {
            return List.of();
        }
        try {
            Certificate[] chain = endpoint.sslSession().getPeerCertificates();
            return Arrays.stream(chain).allMatch(X509Certificate.class::isInstance)
                    ? Arrays.stream(chain).map(X509Certificate.class::cast).toList()
                    : List.of();
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    @Override
    public String toString() {
        return "ConnectRequest[clientId=" + clientId + ", username=" + username + "]";
    }
}

package dev.mecgw.app.mqtt.auth;

import io.vertx.mqtt.MqttEndpoint;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * What a client presented in CONNECT, handed along the auth chain.
 *
 * @param clientId MQTT client identifier (may be empty)
 * @param username user name or null
 * @param password password or null; never logged
 * @param clientCertificate the TLS client certificate or null
 */
public record ConnectRequest(String clientId, String username, String password, X509Certificate clientCertificate) {

    /** What the endpoint's CONNECT (and, over TLS, its handshake) presented. */
    public static ConnectRequest of(MqttEndpoint endpoint) {
        return new ConnectRequest(
                endpoint.clientIdentifier(),
                endpoint.auth() == null ? null : endpoint.auth().getUsername(),
                endpoint.auth() == null ? null : endpoint.auth().getPassword(),
                clientCertificate(endpoint));
    }

    private static X509Certificate clientCertificate(MqttEndpoint endpoint) {
        if (!endpoint.isSsl() || endpoint.sslSession() == null) {
            return null;
        }
        try {
            return endpoint.sslSession().getPeerCertificates()[0] instanceof X509Certificate x ? x : null;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "ConnectRequest[clientId=" + clientId + ", username=" + username + "]";
    }
}

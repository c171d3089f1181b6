package dev.mecgw.app.mqtt;

import java.security.cert.X509Certificate;

/**
 * What a client presented in CONNECT, handed along the auth chain.
 *
 * @param clientId MQTT client identifier (may be empty)
 * @param username user name or null
 * @param password password or null; never logged
 * @param clientCertificate the TLS client certificate or null
 */
public record ConnectRequest(String clientId, String username, String password,
        X509Certificate clientCertificate) {

    @Override
    public String toString() {
        return "ConnectRequest[clientId=" + clientId + ", username=" + username + "]";
    }
}

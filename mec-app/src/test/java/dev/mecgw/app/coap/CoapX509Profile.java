package dev.mecgw.app.coap;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.nio.file.Path;
import java.util.Map;

/**
 * Turns X.509 client authentication on the DTLS port on, with a fresh gateway certificate (PKCS#12, keytool)
 * under target/coap-x509.
 */
public class CoapX509Profile implements QuarkusTestProfile {

    static final Path DIR = Path.of("target", "coap-x509").toAbsolutePath();

    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            TestCertificates.create(DIR, "gateway");
        } catch (Exception e) {
            throw new IllegalStateException("Cannot create the gateway certificate in " + DIR, e);
        }
        return Map.of(
                "mecgw.coap.dtls-key-store",
                DIR.resolve("gateway.p12").toString(),
                "mecgw.coap.dtls-key-store-password",
                TestCertificates.PASSWORD);
    }
}

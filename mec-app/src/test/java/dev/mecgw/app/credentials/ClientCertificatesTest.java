package dev.mecgw.app.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mecgw.app.acl.Principal;
import dev.mecgw.app.coap.TestCertificates;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Issue 15.11: a registered client certificate must also be within its dates and, if configured, chain to a CA. */
class ClientCertificatesTest {

    private static final Path DIR = Path.of("target", "client-certificates").toAbsolutePath();

    private static X509Certificate device;
    private static X509Certificate stranger;

    private final List<Map<String, Object>> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void givenCertificates() throws Exception {
        // valid from one day ago for three days (keytool, self-signed)
        device = (X509Certificate)
                TestCertificates.create(DIR, "device", "-1d", 3).getCertificate();
        stranger = (X509Certificate)
                TestCertificates.create(DIR, "stranger", "-1d", 3).getCertificate();
    }

    @Test
    void shouldAcceptARegisteredCertificateWithinItsDates() {
        assertThat(certificates(Clock.systemUTC(), List.of()).deviceFor(List.of(device), "mqtt"))
                .contains(new Principal("dev-1", "sensor"));
        assertThat(events).isEmpty();
    }

    @Test
    void shouldRefuseForbiddenWithAnEventWhenTheRegisteredCertificateExpired() {
        // given a clock four days on
        Clock later = Clock.offset(Clock.systemUTC(), Duration.ofDays(4));

        // when / then
        Throwable refused = catchThrowable(() -> certificates(later, List.of()).deviceFor(List.of(device), "coap"));
        assertThat(refused).isInstanceOf(GatewayException.class);
        assertThat(((GatewayException) refused).kind()).isEqualTo(ErrorKind.FORBIDDEN);
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event).containsEntry("reason", "expired").containsEntry("protocol", "coap");
            assertThat(event).containsKeys("fingerprint", "notAfter");
        });
    }

    @Test
    void shouldRefuseWhenTheCertificateIsNotYetValid() {
        Clock earlier = Clock.offset(Clock.systemUTC(), Duration.ofDays(-2));
        assertThat(certificates(earlier, List.of()).refusal(List.of(device))).contains("not yet valid");
    }

    @Test
    void shouldCheckTheChainOnlyAgainstTheConfiguredCas() {
        // a self-signed certificate chains to itself, not to another CA
        assertThat(certificates(Clock.systemUTC(), List.of(device)).refusal(List.of(device)))
                .isEmpty();
        assertThat(certificates(Clock.systemUTC(), List.of(stranger)).refusal(List.of(device)))
                .contains("not issued by a trusted CA");
    }

    @Test
    void shouldLeaveAnUnregisteredCertificateToTheNextCredentialWithoutAnEvent() {
        Clock later = Clock.offset(Clock.systemUTC(), Duration.ofDays(4));
        assertThat(new ClientCertificates(
                                fingerprint -> Optional.empty(),
                                (d, k, s, p) -> events.add(new HashMap<>(p)),
                                later.withZone(ZoneOffset.UTC),
                                List.of())
                        .deviceFor(List.of(device), "mqtt"))
                .isEmpty();
        assertThat(events).isEmpty();
    }

    private ClientCertificates certificates(Clock clock, List<X509Certificate> cas) {
        String registered = ClientCertificates.fingerprint(device);
        return new ClientCertificates(
                fingerprint -> fingerprint.equals(registered)
                        ? Optional.of(new Principal("dev-1", "sensor"))
                        : Optional.empty(),
                (deviceId, kind, severity, payload) -> events.add(new HashMap<>(payload)),
                clock,
                cas);
    }
}

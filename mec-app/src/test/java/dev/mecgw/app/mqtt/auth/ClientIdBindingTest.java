package dev.mecgw.app.mqtt.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.app.acl.Principal;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientIdBindingTest {

    @ParameterizedTest
    @CsvSource({
        // device, client id, holder of the id's session ('' = none), allowed
        "pump-7, pump-7, '', true",
        "pump-7, pump-7-telemetry, '', true",
        "pump-7, pump-7:diag, '', true",
        "pump-7, pump-7, pump-7, true",
        "pump-7, pump-70, '', false",
        "pump-7, pump-7x, '', false",
        "pump-7, pump-8, '', false",
        "pump-7, '', '', false",
        "pump-7, mosq-1234, '', false",
        // overlapping prefixes: a-b's ids start with 'a-', yet a may not take a-b's session
        "a, a-b, a-b, false",
        "a-b, a-b, a-b, true"
    })
    void shouldAllowOnlyIdsBoundToTheDeviceWhenAuthenticated(
            String device, String clientId, String holder, boolean allowed) {
        Principal holding = holder.isEmpty() ? null : new Principal(holder, "sensor");
        var refusal = ClientIdBinding.check(new Principal(device, "sensor"), clientId, holding);
        assertThat(refusal.isEmpty()).isEqualTo(allowed);
        refusal.ifPresent(e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST));
    }

    @ParameterizedTest
    @CsvSource({"anything, '', true", "pump-7, '', true", "pump-7, pump-7, false"})
    void shouldLetAnonymousClientsUseIdsNoDeviceHolds(String clientId, String holder, boolean allowed) {
        Principal holding = holder.isEmpty() ? null : new Principal(holder, "sensor");
        assertThat(ClientIdBinding.check(Principal.anonymous(), clientId, holding)
                        .map(GatewayException::kind)
                        .isEmpty())
                .isEqualTo(allowed);
    }
}

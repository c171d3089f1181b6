package dev.mecgw.app.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StartupReportTest {

    @Test
    void shouldPrintTheCurlWithTheTokenFileAndHowToGetAModelWhenNoneIsInstalled() {
        String steps = StartupReport.firstSteps("file /var/lib/mecgw/admin-token", "0.0.0.0", "8080", 0);

        assertThat(steps)
                .contains("curl -H \"Authorization: Bearer $(cat /var/lib/mecgw/admin-token)\""
                        + " http://127.0.0.1:8080/api/v1/devices")
                .contains("POST /api/v1/models/sensor-anomaly/fit")
                .contains("POST /api/v1/models");
    }

    @Test
    void shouldNameTheEnvironmentVariableAndSkipModelHelpWhenTokenIsConfiguredAndModelsServe() {
        String steps = StartupReport.firstSteps("configuration (mecgw.admin.token)", "10.1.2.3", "9000", 2);

        assertThat(steps)
                .isEqualTo("  list devices   : curl -H \"Authorization: Bearer $MECGW_ADMIN_TOKEN\""
                        + " http://10.1.2.3:9000/api/v1/devices")
                .doesNotContain("models");
    }
}

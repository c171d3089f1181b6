package dev.mecgw.app.console.overview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.store.DownDatabase;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class DeviceCountsTest {

    @Test
    void shouldReportTheStoreUnavailableWhenTheDatabaseIsDown() throws Exception {
        // given the overview's counts over a database that is down
        DeviceCounts counts = new DeviceCounts(DownDatabase.dataSource());

        // when / then the gateway's one "store unavailable" error, as every other store read of the console gives
        assertThatThrownBy(counts::count)
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE))
                .hasMessage("Device counts unavailable")
                .hasCauseInstanceOf(SQLException.class);
    }
}

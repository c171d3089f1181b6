package dev.mecgw.app.console.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.store.DownDatabase;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class DeviceListingTest {

    @Test
    void shouldReportTheStoreUnavailableWhenTheDatabaseIsDown() throws Exception {
        // given the device list over a database that is down
        DeviceListing listing = new DeviceListing(DownDatabase.dataSource(), new ObjectMapper());
        DeviceListFilter all = new DeviceListFilter(null, null, null, null, null);

        // when / then the gateway's one "store unavailable" error, as every other store read of the console gives
        assertThatThrownBy(() -> listing.page(all, null, null, DevicesScreen.PAGE_SIZE))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE))
                .hasMessage("Device list unavailable")
                .hasCauseInstanceOf(SQLException.class);
    }
}

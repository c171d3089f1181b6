package dev.mecgw.app.console.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.store.DownDatabase;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class SyncTimelineQueryTest {

    @Test
    void shouldReportTheStoreUnavailableWhenTheDatabaseIsDown() throws Exception {
        // given the sync screen's timeline over a database that is down
        SyncTimelineQuery timeline = new SyncTimelineQuery(DownDatabase.dataSource());

        // when / then the gateway's one "store unavailable" error, as every other store read of the console gives
        assertThatThrownBy(() -> timeline.newest(SyncResource.TIMELINE))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE))
                .hasMessage("Sync timeline unavailable")
                .hasCauseInstanceOf(SQLException.class);
    }
}

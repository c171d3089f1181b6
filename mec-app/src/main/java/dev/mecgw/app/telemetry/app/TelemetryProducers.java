package dev.mecgw.app.telemetry.app;

import dev.mecgw.app.telemetry.TelemetryStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import javax.sql.DataSource;

/** Builds the telemetry store on the gateway's database. */
@ApplicationScoped
public class TelemetryProducers {

    @Produces
    @ApplicationScoped
    TelemetryStore telemetryStore(DataSource dataSource) {
        return TelemetryStore.postgres(dataSource);
    }
}

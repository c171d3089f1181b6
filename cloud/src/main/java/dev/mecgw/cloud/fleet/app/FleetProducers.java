package dev.mecgw.cloud.fleet.app;

import dev.mecgw.cloud.fleet.FleetConfig;
import dev.mecgw.cloud.fleet.FleetView;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Builds the {@link FleetView}. */
@ApplicationScoped
public class FleetProducers {

    @Produces
    @Singleton
    FleetView fleetView(AgroalDataSource dataSource, FleetConfig config) {
        return new FleetView(dataSource, Clock.systemUTC(), config.offlineAfter());
    }
}

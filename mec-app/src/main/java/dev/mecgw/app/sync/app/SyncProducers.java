package dev.mecgw.app.sync.app;

import dev.mecgw.app.events.EventLog;
import dev.mecgw.app.gateway.GatewayConfig;
import dev.mecgw.app.gateway.StopDeadline;
import dev.mecgw.app.sync.CloudSync;
import dev.mecgw.app.sync.DownlinkHandoff;
import dev.mecgw.app.sync.SyncConfig;
import dev.mecgw.app.twin.CommandDispatcher;
import dev.mecgw.app.twin.DesiredTwinPush;
import dev.mecgw.app.twin.TwinStore;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;

/**
 * Builds the {@link CloudSync} from {@code mecgw.sync.*} and the datasource's settings (Debezium opens its own
 * replication connection with them); {@link SyncLifecycle} starts and stops it, the timers of this package drive it.
 */
@ApplicationScoped
public class SyncProducers {

    @Produces
    @Singleton
    CloudSync cloudSync(
            SyncConfig config,
            GatewayConfig gateway,
            Config rawConfig,
            AgroalDataSource dataSource,
            EventLog events,
            MeterRegistry meters,
            CommandDispatcher commands,
            TwinStore twins,
            DesiredTwinPush desiredPush,
            StopDeadline stop) {
        CloudSync.Database database = new CloudSync.Database(
                rawConfig.getValue("quarkus.datasource.jdbc.url", String.class),
                rawConfig
                        .getOptionalValue("quarkus.datasource.username", String.class)
                        .orElse(null),
                rawConfig
                        .getOptionalValue("quarkus.datasource.password", String.class)
                        .orElse(null),
                dataSource);
        return new CloudSync(new CloudSync.Parts(
                config, gateway, database, events, meters, new DownlinkHandoff(commands, twins, desiredPush), stop));
    }
}

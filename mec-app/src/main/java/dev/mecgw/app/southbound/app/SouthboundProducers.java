package dev.mecgw.app.southbound.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.events.EventLog;
import dev.mecgw.app.ingest.TelemetryIngest;
import dev.mecgw.app.registry.ConnectionPolicy;
import dev.mecgw.app.registry.DeviceConnectionView;
import dev.mecgw.app.registry.DeviceRegistry;
import dev.mecgw.app.southbound.Southbound;
import dev.mecgw.app.southbound.SouthboundConfig;
import dev.mecgw.app.southbound.SouthboundProtocol;
import dev.mecgw.app.southbound.SouthboundServices;
import dev.mecgw.app.twin.CommandReceipts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;

/**
 * Builds the southbound area (issue 21) from every {@link SouthboundProtocol} bean: a protocol registers by producing
 * one (as {@link ModbusProducers} does; put a protocol's producer in this package, where the architecture rules allow CDI).
 */
@ApplicationScoped
public class SouthboundProducers {

    /** The registry's check of connection settings; separate from {@link Southbound}, which needs the registry. */
    @Produces
    @Singleton
    ConnectionPolicy connectionPolicy(@Any Instance<SouthboundProtocol> protocols) {
        return Southbound.policy(list(protocols));
    }

    @Produces
    @Singleton
    Southbound southbound(
            @Any Instance<SouthboundProtocol> protocols,
            DeviceRegistry registry,
            TelemetryIngest ingest,
            EventLog events,
            CommandReceipts receipts,
            SouthboundConfig config,
            ObjectMapper json) {
        return Southbound.create(
                list(protocols),
                new SouthboundServices(registry, ingest, events, receipts, Clock.systemUTC()),
                config,
                json);
    }

    /** The live connection states shown by {@code GET /api/v1/devices/{id}}. */
    @Produces
    @Singleton
    DeviceConnectionView connectionView(Southbound southbound) {
        return southbound.view();
    }

    private static List<SouthboundProtocol> list(Instance<SouthboundProtocol> protocols) {
        return protocols.stream().toList();
    }
}

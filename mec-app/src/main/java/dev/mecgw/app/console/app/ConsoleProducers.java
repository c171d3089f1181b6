package dev.mecgw.app.console.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.console.ConsoleAccess;
import dev.mecgw.app.console.ConsoleConfig;
import dev.mecgw.app.console.ConsoleEvents;
import dev.mecgw.app.console.ConsolePages;
import dev.mecgw.app.console.LiveReadings;
import dev.mecgw.app.console.LiveStreams;
import dev.mecgw.app.console.devices.DeviceSources;
import dev.mecgw.app.console.devices.RawMessageRing;
import dev.mecgw.app.console.overview.OverviewTiles;
import dev.mecgw.app.events.EventLog;
import dev.mecgw.app.gateway.DataDirectory;
import dev.mecgw.app.gateway.GatewayConfig;
import dev.mecgw.app.gateway.LifecyclePhase;
import dev.mecgw.app.inference.CameraOverview;
import dev.mecgw.app.ran.RanNetwork;
import dev.mecgw.app.registry.DeviceConnectionView;
import dev.mecgw.app.registry.DeviceNetworkView;
import dev.mecgw.app.registry.DeviceRegistry;
import dev.mecgw.app.sync.CloudSync;
import dev.mecgw.app.telemetry.TelemetryStore;
import dev.mecgw.app.twin.TwinStore;
import io.quarkus.qute.Engine;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Builds the operator console's access control, event recorder and page renderer (issue 19), and creates
 * the first {@code admin} once the store is up.
 */
@ApplicationScoped
public class ConsoleProducers {

    private static final Logger LOG = Logger.getLogger(ConsoleProducers.class);

    @Produces
    @ApplicationScoped
    ConsoleEvents consoleEvents(EventLog events) {
        return new ConsoleEvents(events);
    }

    @Produces
    @ApplicationScoped
    ConsoleAccess consoleAccess(DataSource dataSource, ConsoleEvents events, ConsoleConfig config) {
        return ConsoleAccess.onDatabase(dataSource, events, config, Clock.systemUTC());
    }

    @Produces
    @ApplicationScoped
    ConsolePages consolePages(
            Engine engine, @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
        return new ConsolePages(engine, version);
    }

    /** Server-sent-event streams of the live regions; ended with the front-ends on shutdown. */
    @Produces
    @ApplicationScoped
    LiveStreams liveStreams(ConsoleAccess access, ConsoleConfig config) {
        return new LiveStreams(access, config.livePeriod(), config.liveStreamsPerSession(), config.liveStreams());
    }

    /** Also a {@link dev.mecgw.app.ingest.CommittedTelemetryListener} that the ingest writer calls. */
    @Produces
    @Singleton
    LiveReadings liveReadings(ObjectMapper json) {
        return new LiveReadings(json, Clock.systemUTC());
    }

    /** The last raw messages per device; the MQTT and CoAP telemetry routes record into it (as a RawMessageLog). */
    @Produces
    @Singleton
    RawMessageRing rawMessages(ConsoleConfig config) {
        return new RawMessageRing(config.rawMessagesPerDevice(), config.rawMessagesBytes(), config.rawPayloadBytes());
    }

    @Produces
    @ApplicationScoped
    OverviewTiles overviewTiles(
            DataSource dataSource,
            CloudSync sync,
            LiveReadings readings,
            GatewayConfig gateway,
            RanNetwork ran,
            CameraOverview models) {
        return new OverviewTiles(new OverviewTiles.Parts(dataSource, sync, readings, gateway.dataDir(), ran, models));
    }

    @Produces
    @Singleton
    DeviceSources deviceSources(
            DeviceRegistry registry,
            DeviceNetworkView network,
            DeviceConnectionView connections,
            TwinStore twins,
            TelemetryStore telemetry,
            RawMessageRing rawMessages) {
        return new DeviceSources(registry, network, connections, twins, telemetry, rawMessages);
    }

    void stopLive(
            @Observes @Priority(LifecyclePhase.Order.FRONT_ENDS_STOP) ShutdownEvent stop,
            LiveStreams streams,
            LiveReadings readings) {
        streams.close();
        readings.close();
    }

    /** The first start creates {@code admin}; only the password file's path is logged, never the password. */
    void createAdmin(
            @Observes @Priority(LifecyclePhase.Order.REPORT_START) StartupEvent start,
            ConsoleAccess access,
            GatewayConfig gateway) {
        access.ensureAdmin(new DataDirectory(gateway.dataDir()))
                .ifPresent(file -> LOG.infof(
                        "Created console user 'admin' (operator); its first password is in %s (mode 0600) and must"
                                + " be changed at first login at /console",
                        file));
    }
}

package dev.mecgw.app.twin.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.twin.CommandDispatcher;
import dev.mecgw.app.twin.DesiredTwinPush;
import dev.mecgw.app.twin.DeviceMessenger;
import dev.mecgw.app.twin.DeviceUpdatePublisher;
import dev.mecgw.app.twin.TwinStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import javax.sql.DataSource;

/** Wires the twin store shared by MQTT, CoAP and REST, and the in-process fan-out of device-bound updates. */
@ApplicationScoped
public class TwinProducers {

    @Produces
    @ApplicationScoped
    TwinStore twinStore(DataSource dataSource, ObjectMapper json) {
        return TwinStore.postgres(dataSource, json);
    }

    @Produces
    @ApplicationScoped
    DeviceUpdatePublisher deviceUpdatePublisher() {
        return DeviceUpdatePublisher.inProcess();
    }

    /** The one way a committed desired twin reaches the devices (REST, console, OTA, cloud downlink). */
    @Produces
    @Singleton // a record: no client proxy
    DesiredTwinPush desiredTwinPush(DeviceUpdatePublisher updates, DeviceMessenger messenger) {
        return new DesiredTwinPush(updates, messenger);
    }

    /**
     * Commands from REST and the cloud's downlink, and their status (issue 17); the MQTT broker reports to it.
     * {@link CommandLifecycle} starts and closes it.
     */
    @Produces
    @ApplicationScoped
    CommandDispatcher commandDispatcher(
            DataSource dataSource, DeviceMessenger messenger, DeviceUpdatePublisher updates, ObjectMapper json) {
        return CommandDispatcher.onDatabase(dataSource, messenger, updates, json);
    }
}

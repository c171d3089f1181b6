package dev.mecgw.app.twin.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.twin.DeviceUpdatePublisher;
import dev.mecgw.app.twin.InProcessDeviceUpdatePublisher;
import dev.mecgw.app.twin.PostgresTwinStore;
import dev.mecgw.app.twin.TwinStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import javax.sql.DataSource;

/** Wires the twin store shared by MQTT, CoAP and REST, and the in-process fan-out of device-bound updates. */
@ApplicationScoped
public class TwinProducers {

    @Produces
    @ApplicationScoped
    TwinStore twinStore(DataSource dataSource, ObjectMapper json) {
        return new PostgresTwinStore(dataSource, json);
    }

    @Produces
    @ApplicationScoped
    DeviceUpdatePublisher deviceUpdatePublisher() {
        return new InProcessDeviceUpdatePublisher();
    }
}

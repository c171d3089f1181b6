package dev.mecgw.app.coap.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.coap.DeviceTwins;
import dev.mecgw.app.twin.DeviceUpdatePublisher;
import dev.mecgw.app.twin.InProcessDeviceUpdatePublisher;
import dev.mecgw.app.coap.PostgresDeviceTwins;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import javax.sql.DataSource;

/**
 * Default beans the CoAP front-end depends on. Each is a {@link DefaultBean}, so the command/twin service
 * can replace them by producing its own bean of the same type.
 */
@ApplicationScoped
public class CoapProducers {

    @Produces
    @ApplicationScoped
    @DefaultBean
    DeviceUpdatePublisher deviceUpdatePublisher() {
        return new InProcessDeviceUpdatePublisher();
    }

    @Produces
    @ApplicationScoped
    @DefaultBean
    DeviceTwins deviceTwins(DataSource dataSource, ObjectMapper json) {
        return new PostgresDeviceTwins(dataSource, json);
    }
}

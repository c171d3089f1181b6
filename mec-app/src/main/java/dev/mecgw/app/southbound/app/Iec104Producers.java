package dev.mecgw.app.southbound.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.southbound.SouthboundProtocol;
import dev.mecgw.app.southbound.iec104.Iec104Options;
import dev.mecgw.app.southbound.iec104.Iec104Protocol;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Registers IEC 60870-5-104 with the southbound area: {@link SouthboundProducers} collects this bean. */
@ApplicationScoped
public class Iec104Producers {

    @Produces
    @Singleton
    SouthboundProtocol iec104(Vertx vertx, ObjectMapper json) {
        return new Iec104Protocol(vertx, Iec104Options.defaults(), json);
    }
}

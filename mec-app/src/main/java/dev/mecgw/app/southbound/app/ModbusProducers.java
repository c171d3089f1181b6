package dev.mecgw.app.southbound.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.southbound.SouthboundProtocol;
import dev.mecgw.app.southbound.modbus.ModbusConfig;
import dev.mecgw.app.southbound.modbus.ModbusProtocol;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Registers Modbus TCP with the southbound area: {@link SouthboundProducers} collects this bean. */
@ApplicationScoped
public class ModbusProducers {

    @Produces
    @Singleton
    SouthboundProtocol modbus(ModbusConfig config, ObjectMapper json) {
        return new ModbusProtocol(config, json);
    }
}

package dev.mecgw.app.southbound.modbus;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** Settings of the Modbus TCP client (issue 21), prefix {@code mecgw.southbound.modbus}. */
@ConfigMapping(prefix = "mecgw.southbound.modbus")
public interface ModbusConfig {

    /**
     * Netty event-loop threads shared by every PLC connection; requests are asynchronous, so a few serve hundreds of
     * PLCs. Default 2.
     */
    @WithDefault("2")
    @Min(1) @Max(32) int ioThreads();
}

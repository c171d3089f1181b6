package dev.mecgw.app.southbound.modbus;

import com.digitalpetri.modbus.client.ModbusTcpClient;
import com.digitalpetri.modbus.pdu.WriteMultipleRegistersRequest;
import com.digitalpetri.modbus.pdu.WriteSingleCoilRequest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.southbound.modbus.RegisterSpec.Table;
import java.util.concurrent.CompletionStage;

/**
 * A checked {@code write} command: {@code {"metric": "setpoint", "value": 21.5}} for a holding register (converted to
 * the metric's type through its scale and offset, range-checked) or {@code {"metric": "pump", "value": true}} for a
 * coil.
 *
 * @param spec the metric written
 * @param value the engineering value as given (1 or 0 for a coil)
 * @param registers the register bytes for a holding register, null for a coil
 */
record ModbusWrite(RegisterSpec spec, double value, byte[] registers) {

    /** @throws GatewayException BAD_REQUEST naming {@code metric} or {@code value} */
    static ModbusWrite parse(ModbusSettings settings, JsonNode args) {
        if (args == null || !args.isObject()) {
            throw GatewayException.badField("$", "must be a JSON object with metric and value");
        }
        JsonNode metric = args.get("metric");
        if (metric == null || !metric.isTextual()) {
            throw GatewayException.badField("metric", "is required: a metric of the register map");
        }
        RegisterSpec spec = settings.metric(metric.asText())
                .orElseThrow(() -> GatewayException.badField("metric", "is not in the register map"));
        if (!spec.table().writable()) {
            throw GatewayException.badField(
                    "metric", "is read-only (table " + spec.table().label() + ")");
        }
        JsonNode value = args.get("value");
        if (spec.table() == Table.COIL) {
            if (value == null
                    || !(value.isBoolean() || (value.isIntegralNumber() && value.asInt() >= 0 && value.asInt() <= 1))) {
                throw GatewayException.badField("value", "must be true or false for a coil");
            }
            return new ModbusWrite(spec, value.asBoolean() || value.asInt() == 1 ? 1 : 0, null);
        }
        if (value == null || !value.isNumber()) {
            throw GatewayException.badField("value", "must be a number");
        }
        return new ModbusWrite(spec, value.asDouble(), RegisterCodec.encode(spec, value.asDouble()));
    }

    /** Sends the write; completes when the PLC confirmed it. */
    CompletionStage<Void> send(ModbusTcpClient client, int unitId) {
        if (spec.table() == Table.COIL) {
            return client.writeSingleCoilAsync(unitId, new WriteSingleCoilRequest(spec.address(), value == 1))
                    .thenApply(r -> null);
        }
        // Function 16 even for one register: a multi-word value must change atomically, and one code path is simpler.
        return client.writeMultipleRegistersAsync(
                        unitId, new WriteMultipleRegistersRequest(spec.address(), registers.length / 2, registers))
                .thenApply(r -> null);
    }
}

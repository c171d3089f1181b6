package dev.mecgw.app.southbound.modbus;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.southbound.SettingsReader;
import dev.mecgw.app.southbound.modbus.RegisterSpec.DataType;
import dev.mecgw.app.southbound.modbus.RegisterSpec.Table;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The {@code connection} settings of a {@code modbus} device (docs/southbound.md): endpoint, unit id, request timeout
 * and register map. {@link #read} validates an upload and names the first bad field.
 *
 * @param host PLC host name or address
 * @param port TCP port, 502 by default
 * @param unitId Modbus unit (slave) id, 0..255, 1 by default
 * @param timeout how long a request may take before the PLC counts as unresponsive
 * @param registers the register map, in upload order
 */
record ModbusSettings(String host, int port, int unitId, Duration timeout, List<RegisterSpec> registers) {

    /** At most this many metrics per device: enough for a large PLC, small enough to bound memory per upload. */
    static final int MAX_REGISTERS = 2_000;

    private static final Set<String> FIELDS = Set.of("host", "port", "unitId", "timeoutMs", "registers");
    private static final Set<String> REGISTER_FIELDS = Set.of(
            "metric",
            "table",
            "address",
            "type",
            "wordOrder",
            "byteOrder",
            "scale",
            "offset",
            "pollMs",
            "unit",
            "min",
            "max");
    private static final Set<String> TABLES = labels(Table.values());
    private static final Set<String> TYPES = labels(DataType.values());
    private static final Set<String> ORDERS = Set.of("big", "little");

    /**
     * @throws GatewayException BAD_REQUEST naming the field, e.g. {@code connection.registers[2].address} for an
     *     overlap
     */
    static ModbusSettings read(JsonNode connection) {
        SettingsReader settings = SettingsReader.of(connection).only(FIELDS);
        String host = settings.text("host", 253);
        int port = (int) settings.integer("port", 1, 65_535, 502L);
        int unitId = (int) settings.integer("unitId", 0, 255, 1L);
        Duration timeout = Duration.ofMillis(settings.integer("timeoutMs", 50, 60_000, 2_000L));
        List<SettingsReader> items = settings.objects("registers", MAX_REGISTERS);
        List<RegisterSpec> registers = new ArrayList<>(items.size());
        Map<String, String> metrics = new HashMap<>();
        for (SettingsReader item : items) {
            RegisterSpec spec = register(item);
            String previous = metrics.putIfAbsent(spec.metric(), item.path("metric"));
            if (previous != null) {
                throw GatewayException.badField(item.path("metric"), "repeats the metric of " + previous);
            }
            registers.add(spec);
        }
        checkOverlaps(registers, items);
        return new ModbusSettings(host, port, unitId, timeout, List.copyOf(registers));
    }

    private static RegisterSpec register(SettingsReader item) {
        item.only(REGISTER_FIELDS);
        String metric = item.text("metric", 128);
        Table table = Table.valueOf(item.choice("table", TABLES, null).toUpperCase(Locale.ROOT));
        int address = (int) item.integer("address", 0, 65_535, null);
        DataType type = DataType.valueOf(
                item.choice("type", TYPES, table.bits() ? "bool" : null).toUpperCase(Locale.ROOT));
        if (table.bits() != (type == DataType.BOOL)) {
            throw GatewayException.badField(
                    item.path("type"),
                    table.bits()
                            ? "must be bool for table " + table.label()
                            : "bool is only for tables coil and discrete");
        }
        RegisterSpec spec = new RegisterSpec(
                metric,
                table,
                address,
                type,
                item.choice("wordOrder", ORDERS, "big").equals("little"),
                item.choice("byteOrder", ORDERS, "big").equals("little"),
                item.number("scale", 1.0),
                item.number("offset", 0.0),
                item.integer("pollMs", 100, 3_600_000, 1_000L),
                item.text("unit", 32, null),
                item.has("min") ? item.number("min", 0) : null,
                item.has("max") ? item.number("max", 0) : null);
        if (spec.scale() == 0) {
            throw GatewayException.badField(item.path("scale"), "must not be 0");
        }
        if (spec.end() > 65_536) {
            throw GatewayException.badField(item.path("address"), "value runs past address 65535");
        }
        if (spec.min() != null && spec.max() != null && spec.min() > spec.max()) {
            throw GatewayException.badField(item.path("min"), "must not exceed max");
        }
        return spec;
    }

    /** Two metrics of one table may not share a coil or register: the second's address is named. */
    private static void checkOverlaps(List<RegisterSpec> registers, List<SettingsReader> items) {
        List<Integer> order = Stream.iterate(0, i -> i + 1)
                .limit(registers.size())
                .sorted(Comparator.<Integer, Table>comparing(
                                i -> registers.get(i).table())
                        .thenComparingInt(i -> registers.get(i).address())
                        .thenComparingInt(i -> i))
                .toList();
        for (int k = 1; k < order.size(); k++) {
            RegisterSpec before = registers.get(order.get(k - 1));
            RegisterSpec spec = registers.get(order.get(k));
            if (before.table() == spec.table() && spec.address() < before.end()) {
                int later = Math.max(order.get(k - 1), order.get(k));
                RegisterSpec other = registers.get(later == order.get(k) ? order.get(k - 1) : order.get(k));
                throw GatewayException.badField(
                        items.get(later).path("address"),
                        "overlaps " + other.metric() + " (" + other.table().label() + " " + other.address() + ".."
                                + (other.end() - 1) + ")");
            }
        }
    }

    private static Set<String> labels(Enum<?>[] values) {
        return Stream.of(values).map(v -> v.name().toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /** @return the metric's spec, if mapped */
    java.util.Optional<RegisterSpec> metric(String name) {
        return registers.stream().filter(r -> r.metric().equals(name)).findFirst();
    }
}

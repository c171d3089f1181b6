package dev.mecgw.app.southbound.iec104;

import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.southbound.SettingsReader;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code connection} object of a device of type {@code iec104} (docs/southbound.md), validated so that a
 * bad setting is a 400 naming {@code connection.<field>}.
 */
final class Iec104Settings {

    private static final Map<String, TypeId> COMMAND_TYPES =
            Map.of("single", TypeId.C_SC_NA_1, "double", TypeId.C_DC_NA_1, "setpoint", TypeId.C_SE_NC_1);

    private Iec104Settings() {}

    /** The device of a connection object. */
    static Iec104Device read(String deviceId, com.fasterxml.jackson.databind.JsonNode connection) {
        SettingsReader s = SettingsReader.of(connection)
                .only(Set.of("host", "port", "commonAddress", "timeZone", "points", "commands"));
        String host = s.text("host", 253);
        int port = (int) s.integer("port", 1, 65535, 2404L);
        int ca = (int) s.integer("commonAddress", 1, 65534, null);
        ZoneId zone;
        try {
            zone = ZoneId.of(s.text("timeZone", 64, "UTC"));
        } catch (DateTimeException e) {
            throw GatewayException.badField(s.path("timeZone"), "must be a time zone id such as UTC or Europe/Berlin");
        }
        List<Iec104Point> points = new ArrayList<>();
        Set<Integer> ioas = new HashSet<>();
        Set<String> metrics = new HashSet<>();
        for (SettingsReader p : s.objects("points", 10_000)) {
            p.only(Set.of("ioa", "metric"));
            int ioa = (int) p.integer("ioa", 1, 16_777_215, null);
            String metric = p.text("metric", 128);
            if (!ioas.add(ioa)) {
                throw GatewayException.badField(p.path("ioa"), "IOA " + ioa + " is mapped twice");
            }
            if (!metrics.add(metric)) {
                throw GatewayException.badField(p.path("metric"), "metric " + metric + " is mapped twice");
            }
            points.add(new Iec104Point(ioa, metric));
        }
        List<Iec104Command> commands = new ArrayList<>();
        Set<String> names = new HashSet<>();
        if (s.has("commands")) {
            for (SettingsReader c : s.objects("commands", 1_000)) {
                c.only(Set.of("name", "type", "ioa", "selectBeforeOperate"));
                String name = c.text("name", 64);
                if (!names.add(name)) {
                    throw GatewayException.badField(c.path("name"), "command " + name + " is defined twice");
                }
                TypeId type = COMMAND_TYPES.get(c.choice("type", COMMAND_TYPES.keySet(), null));
                int ioa = (int) c.integer("ioa", 1, 16_777_215, null);
                commands.add(new Iec104Command(name, type, ioa, c.bool("selectBeforeOperate", true)));
            }
        }
        return new Iec104Device(deviceId, host, port, ca, zone, points, commands);
    }
}

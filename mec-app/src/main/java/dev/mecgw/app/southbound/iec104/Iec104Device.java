package dev.mecgw.app.southbound.iec104;

import java.time.ZoneId;
import java.util.List;

/**
 * The connection settings of one outstation (a gateway device of type {@code iec104}).
 *
 * @param deviceId the gateway device id readings are stored under
 * @param host outstation host name or address
 * @param port outstation TCP port (IANA 2404 by default)
 * @param commonAddress the station's common address of ASDU (1..65534); ASDUs for other addresses are ignored
 * @param zone the zone the outstation's CP56Time2a tags are in (they carry no offset)
 * @param points IOA → metric map; objects of unmapped IOAs are counted and dropped
 * @param commands commands the device accepts
 */
public record Iec104Device(
        String deviceId,
        String host,
        int port,
        int commonAddress,
        ZoneId zone,
        List<Iec104Point> points,
        List<Iec104Command> commands) {

    public Iec104Device {
        points = List.copyOf(points);
        commands = List.copyOf(commands);
    }
}

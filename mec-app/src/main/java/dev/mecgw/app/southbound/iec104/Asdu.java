package dev.mecgw.app.southbound.iec104;

import java.util.List;

/**
 * An application service data unit of IEC 60870-5-104 (clause 5.1, with the 101 field sizes the 104 profile fixes:
 * two-octet cause of transmission with originator, two-octet common address, three-octet IOA).
 *
 * @param type the type identification
 * @param sequence the SQ bit: the objects have consecutive IOAs and only the first is on the wire
 * @param cause the cause of transmission (0..63, {@link Cot})
 * @param negative the P/N bit: a negative confirmation
 * @param test the T bit
 * @param originator the originator address
 * @param commonAddress the station's common address (1..65534; 65535 is the global address)
 * @param objects the information objects, 1..127
 */
public record Asdu(
        TypeId type,
        boolean sequence,
        int cause,
        boolean negative,
        boolean test,
        int originator,
        int commonAddress,
        List<InformationObject> objects) {

    public Asdu {
        objects = List.copyOf(objects);
    }

    /** A plain ASDU: no SQ, positive, not a test, originator 0. */
    public static Asdu of(TypeId type, int cause, int commonAddress, List<InformationObject> objects) {
        return new Asdu(type, false, cause, false, false, 0, commonAddress, objects);
    }
}

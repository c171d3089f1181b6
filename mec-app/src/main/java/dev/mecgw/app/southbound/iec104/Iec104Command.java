package dev.mecgw.app.southbound.iec104;

/**
 * A command the gateway may send to a device: a gateway command of this name becomes an ASDU of this type to the
 * IOA.
 *
 * @param name the command name operators and the cloud use
 * @param type C_SC_NA_1 (value 0/1), C_DC_NA_1 (value 1 = off, 2 = on) or C_SE_NC_1 (a float set point)
 * @param ioa the output's information object address
 * @param selectBeforeOperate send a select and wait for its confirmation before the execute (clause 7.3.2 of
 *     101: the safer two-step the outstation may require)
 */
public record Iec104Command(String name, TypeId type, int ioa, boolean selectBeforeOperate) {

    public Iec104Command {
        if (type != TypeId.C_SC_NA_1 && type != TypeId.C_DC_NA_1 && type != TypeId.C_SE_NC_1) {
            throw new IllegalArgumentException("command type must be C_SC_NA_1, C_DC_NA_1 or C_SE_NC_1");
        }
    }
}

package dev.mecgw.app.southbound.iec104;

/**
 * One information object of an ASDU, kept close to the wire so that nothing the outstation said is lost.
 *
 * <p>{@code value} is the element's value: the SPI (0/1) of a single point, the DPI (0..3) of a double point, the
 * engineering value of a measurement (a normalized value as a fraction in [-1, 1)), the counter of an integrated
 * total, the SCS/DCS of a command, the set point of C_SE, the QOI of C_IC and the COI of M_EI. {@code qualifier} is
 * the rest of the element's status octet as sent: the SIQ/DIQ/QDS quality bits (OV 0x01, BL 0x10, SB 0x20, NT 0x40,
 * IV 0x80), the BCR's sequence number and CY 0x20/CA 0x40/IV 0x80, or a command's S/E 0x80 and QU bits.
 *
 * @param ioa information object address (0..16777215)
 * @param value the value, see above
 * @param qualifier the status bits, see above
 * @param time the time tag, or null for types without one
 */
public record InformationObject(int ioa, double value, int qualifier, Cp56Time time) {

    /** The select/execute bit of a command qualifier (SCO, DCO, QOS): 1 selects, 0 executes. */
    public static final int SELECT = 0x80;

    /** Whether the outstation marked the value invalid (IV), or its time tag invalid. */
    public boolean invalid() {
        return (qualifier & 0x80) != 0 || (time != null && time.invalid());
    }
}

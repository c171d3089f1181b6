package dev.mecgw.app.southbound.modbus;

import java.util.Locale;

/**
 * One metric of a Modbus register map.
 *
 * @param metric the reading's metric name
 * @param table where the value lives
 * @param address the first coil or register, 0-based (protocol addresses, not the 4xxxx notation)
 * @param type how the bits are read
 * @param wordsLittle false (word order {@code big}): the first register holds the most significant word (ABCD);
 *     true ({@code little}): CDAB
 * @param bytesLittle false (byte order {@code big}): each register's high byte first, the Modbus default; true
 *     ({@code little}): swapped (BADC)
 * @param scale stored value = raw × scale + offset
 * @param offset see {@code scale}
 * @param pollMillis how often the value is read
 * @param unit the stored reading's unit, or null
 * @param min smallest value a command may write (engineering units), or null for the type's range
 * @param max largest value a command may write, or null for the type's range
 */
record RegisterSpec(
        String metric,
        Table table,
        int address,
        DataType type,
        boolean wordsLittle,
        boolean bytesLittle,
        double scale,
        double offset,
        long pollMillis,
        String unit,
        Double min,
        Double max) {

    /** @return the number of coils or registers the value spans */
    int width() {
        return table.bits() ? 1 : type.words();
    }

    /** @return the address after the value's last coil or register */
    int end() {
        return address + width();
    }

    /** The four Modbus data tables. */
    enum Table {
        COIL(true, true),
        DISCRETE(true, false),
        INPUT(false, false),
        HOLDING(false, true);

        private final boolean bits;
        private final boolean writable;

        Table(boolean bits, boolean writable) {
            this.bits = bits;
            this.writable = writable;
        }

        /** @return whether the table holds single bits (coils, discrete inputs) rather than 16-bit registers */
        boolean bits() {
            return bits;
        }

        /** @return whether the protocol can write it (coils, holding registers) */
        boolean writable() {
            return writable;
        }

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How a value is encoded in its registers. */
    enum DataType {
        BOOL(1, 0, 1),
        INT16(1, Short.MIN_VALUE, Short.MAX_VALUE),
        UINT16(1, 0, 0xFFFF),
        INT32(2, Integer.MIN_VALUE, Integer.MAX_VALUE),
        UINT32(2, 0, 0xFFFF_FFFFL),
        FLOAT32(2, -Float.MAX_VALUE, Float.MAX_VALUE),
        FLOAT64(4, -Double.MAX_VALUE, Double.MAX_VALUE);

        private final int words;
        private final double lowest;
        private final double highest;

        DataType(int words, double lowest, double highest) {
            this.words = words;
            this.lowest = lowest;
            this.highest = highest;
        }

        int words() {
            return words;
        }

        /** @return the smallest raw value the type holds */
        double lowest() {
            return lowest;
        }

        /** @return the largest raw value the type holds */
        double highest() {
            return highest;
        }

        boolean integral() {
            return this != FLOAT32 && this != FLOAT64;
        }

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}

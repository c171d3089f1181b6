package dev.mecgw.app.southbound.iec104;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * A CP56Time2a time tag (IEC 60870-5-101 clause 7.2.6.18): milliseconds within the minute, minute, hour, day of
 * month, day of week, month and a two-digit year, in the outstation's local time. The zone is the device's setting
 * (UTC unless configured), because the octets carry no offset.
 *
 * @param instant the point in time
 * @param invalid the IV bit: the outstation's clock was not synchronized, so the tag is not trustworthy
 * @param summerTime the SU bit
 */
public record Cp56Time(Instant instant, boolean invalid, boolean summerTime) {

    /** Octets on the wire. */
    public static final int SIZE = 7;

    /** A valid tag for an instant. */
    public static Cp56Time of(Instant instant) {
        return new Cp56Time(instant, false, false);
    }

    void write(byte[] out, int at, ZoneId zone) {
        ZonedDateTime t = instant.atZone(zone);
        int ms = t.getSecond() * 1000 + t.getNano() / 1_000_000;
        out[at] = (byte) ms;
        out[at + 1] = (byte) (ms >>> 8);
        out[at + 2] = (byte) (t.getMinute() | (invalid ? 0x80 : 0));
        out[at + 3] = (byte) (t.getHour() | (summerTime ? 0x80 : 0));
        out[at + 4] = (byte) (t.getDayOfMonth() | (t.getDayOfWeek().getValue() << 5));
        out[at + 5] = (byte) t.getMonthValue();
        out[at + 6] = (byte) (t.getYear() % 100);
    }

    static Cp56Time read(byte[] in, int at, ZoneId zone) {
        int ms = (in[at] & 0xFF) | (in[at + 1] & 0xFF) << 8;
        int minute = in[at + 2] & 0x3F;
        int hour = in[at + 3] & 0x1F;
        int day = in[at + 4] & 0x1F;
        int month = in[at + 5] & 0x0F;
        // Two-digit years: this station runs in 20xx, as every outstation it meets does.
        int year = 2000 + (in[at + 6] & 0x7F);
        if (ms > 59_999 || minute > 59 || hour > 23 || day < 1 || day > 31 || month < 1 || month > 12) {
            throw new Iec104FrameException("CP56Time2a out of range");
        }
        LocalDateTime local;
        try {
            local = LocalDateTime.of(year, month, day, hour, minute, ms / 1000, (ms % 1000) * 1_000_000);
        } catch (java.time.DateTimeException e) {
            throw new Iec104FrameException("CP56Time2a is not a date");
        }
        return new Cp56Time(local.atZone(zone).toInstant(), (in[at + 2] & 0x80) != 0, (in[at + 3] & 0x80) != 0);
    }
}

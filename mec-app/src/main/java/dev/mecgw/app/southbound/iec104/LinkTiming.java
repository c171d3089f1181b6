package dev.mecgw.app.southbound.iec104;

import java.time.Duration;

/**
 * The link parameters of IEC 60870-5-104 clause 5.5 and 9.6, with the standard's defaults in {@link #defaults()}.
 *
 * @param k most I frames sent and not yet acknowledged (1..32767); more wait in the send queue
 * @param w acknowledge at the latest after this many received I frames (1..32767, at most 2/3 of k)
 * @param t1 time-out of a sent I frame or U act without acknowledgement: the connection is closed
 * @param t2 acknowledge received I frames after this long without data of our own; less than t1
 * @param t3 send TESTFR act after this long without any received frame
 */
public record LinkTiming(int k, int w, Duration t1, Duration t2, Duration t3) {

    public LinkTiming {
        if (k < 1 || k > 32767 || w < 1 || w > k) {
            throw new IllegalArgumentException("k must be 1..32767 and w 1..k");
        }
        if (t2.compareTo(t1) >= 0) {
            throw new IllegalArgumentException("t2 must be shorter than t1");
        }
    }

    /** k = 12, w = 8, t1 = 15 s, t2 = 10 s, t3 = 20 s (clause 9.6). */
    public static LinkTiming defaults() {
        return new LinkTiming(12, 8, Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(20));
    }
}

package dev.mecgw.app.southbound.iec104;

import java.time.Duration;

/**
 * How stations connect, shared by all devices.
 *
 * @param timing k, w, t1, t2, t3
 * @param connectTimeout TCP connect time-out (t0 of clause 9.6)
 * @param backoffMin first reconnect delay after a lost or failed connection
 * @param backoffMax the delay doubles up to this
 * @param commandTimeout a command not confirmed within this fails
 * @param maxQueuedBytes ASDU octets a connection may hold waiting for the k window
 */
public record Iec104Options(
        LinkTiming timing,
        Duration connectTimeout,
        Duration backoffMin,
        Duration backoffMax,
        Duration commandTimeout,
        int maxQueuedBytes) {

    /** The standard's timing, t0 = 30 s, back-off 1 s → 60 s, commands 10 s, 64 KiB queue. */
    public static Iec104Options defaults() {
        return new Iec104Options(
                LinkTiming.defaults(),
                Duration.ofSeconds(30),
                Duration.ofSeconds(1),
                Duration.ofSeconds(60),
                Duration.ofSeconds(10),
                64 * 1024);
    }
}

package dev.mecgw.app.coap;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The bytes Californium reserves for Block1 reassembly, bounded in total and per source address (issue 15 item 1).
 * Californium allocates the whole body limit when a transfer's first block arrives, keyed by (peer, URI), so without
 * this bound ten thousand one-kilobyte datagrams to different URIs ask for gigabytes. A transfer is counted from any
 * block that finds none (Californium then starts one too) until its last block or until it has been quiet for the
 * hold time, which is Californium's status lifetime plus its sweep interval, so that this count never undercounts
 * what Californium still holds. Lookups and expiry are O(1) amortized: the table is in last-touched order. Thread-safe.
 */
final class Block1Budget {

    private final long maxTotalBytes;
    private final long maxAddressBytes;
    private final long holdNanos;
    private final LongSupplier nanoClock;
    private final LinkedHashMap<Transfer, Reservation> transfers = new LinkedHashMap<>(64, 0.75f, true);
    private final Map<InetAddress, Long> perAddress = new HashMap<>();
    private long totalBytes;

    /**
     * @param maxTotalBytes most bytes reserved by all transfers together
     * @param maxAddressBytes most bytes reserved by the transfers of one source IP address (any port)
     * @param holdNanos how long a quiet transfer stays counted
     * @param nanoClock {@link System#nanoTime()} or a test clock
     */
    Block1Budget(long maxTotalBytes, long maxAddressBytes, long holdNanos, LongSupplier nanoClock) {
        this.maxTotalBytes = maxTotalBytes;
        this.maxAddressBytes = maxAddressBytes;
        this.holdNanos = holdNanos;
        this.nanoClock = nanoClock;
    }

    /**
     * Counts one block of a transfer.
     *
     * @param restart whether the block starts the transfer over (block number 0), which replaces its reservation
     * @param bytes what Californium reserves for the transfer
     * @return false when a new reservation would exceed a bound; the transfer is then not counted
     */
    synchronized boolean admit(InetSocketAddress peer, String uri, boolean restart, int bytes) {
        long now = nanoClock.getAsLong();
        expire(now);
        Transfer key = new Transfer(peer, uri);
        Reservation current = transfers.get(key);
        if (current != null && !restart) {
            current.touchedAt = now;
            return true;
        }
        if (current != null) {
            remove(key);
        }
        InetAddress address = peer.getAddress();
        long held = perAddress.getOrDefault(address, 0L);
        if (totalBytes + bytes > maxTotalBytes || held + bytes > maxAddressBytes) {
            return false;
        }
        transfers.put(key, new Reservation(bytes, now));
        perAddress.put(address, held + bytes);
        totalBytes += bytes;
        return true;
    }

    /** The transfer's last block arrived: Californium released its buffer. */
    synchronized void finished(InetSocketAddress peer, String uri) {
        remove(new Transfer(peer, uri));
    }

    /** Bytes reserved now. */
    synchronized long reservedBytes() {
        expire(nanoClock.getAsLong());
        return totalBytes;
    }

    /** Transfers counted now. */
    synchronized int transfers() {
        expire(nanoClock.getAsLong());
        return transfers.size();
    }

    private void expire(long now) {
        for (Iterator<Map.Entry<Transfer, Reservation>> it =
                        transfers.entrySet().iterator();
                it.hasNext(); ) {
            Map.Entry<Transfer, Reservation> eldest = it.next();
            if (now - eldest.getValue().touchedAt < holdNanos) {
                return;
            }
            it.remove();
            release(eldest.getKey().peer().getAddress(), eldest.getValue().bytes);
        }
    }

    private void remove(Transfer key) {
        Reservation removed = transfers.remove(key);
        if (removed != null) {
            release(key.peer().getAddress(), removed.bytes);
        }
    }

    private void release(InetAddress address, long bytes) {
        totalBytes -= bytes;
        perAddress.computeIfPresent(address, (a, held) -> held - bytes <= 0 ? null : held - bytes);
    }

    private record Transfer(InetSocketAddress peer, String uri) {}

    private static final class Reservation {
        private final long bytes;
        private long touchedAt;

        Reservation(long bytes, long touchedAt) {
            this.bytes = bytes;
            this.touchedAt = touchedAt;
        }
    }
}

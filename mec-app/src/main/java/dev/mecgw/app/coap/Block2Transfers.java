package dev.mecgw.app.coap;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.californium.core.coap.BlockOption;
import org.eclipse.californium.core.coap.CoAP.Code;
import org.eclipse.californium.core.coap.Request;

/**
 * Block2 downloads of {@code /fw/{name}} in progress, per peer (issue 18 item 1). A device fetching a 1 MiB image in
 * 64-byte blocks sends 16,384 requests; counted against the per-peer rate it was cut off with 5.03 after a few
 * dozen. So only the request that starts a transfer is counted, and a request that asks for a later block of the
 * same artifact than the last one, at most one largest block (1024 bytes) further, passes free: each free request
 * moves the transfer forward, so a peer gets at most one free request per block of an artifact per counted start.
 * Bounded: at most {@link #MAX_TRANSFERS} peers are tracked, idle ones are dropped. Thread-safe.
 */
final class Block2Transfers {

    static final int MAX_TRANSFERS = 4096;
    private static final int MAX_BLOCK = 1024;
    private static final long IDLE_NANOS = 60_000_000_000L;

    private final Map<InetSocketAddress, Transfer> transfers = new ConcurrentHashMap<>();

    /**
     * Whether the request continues this peer's transfer; if so it becomes the transfer's last block.
     *
     * @param now {@link System#nanoTime()}
     */
    boolean continues(Request request, long now) {
        String name = artifact(request);
        BlockOption block = request.getOptions().getBlock2();
        if (name == null || block == null || block.getOffset() == 0) {
            return false;
        }
        InetSocketAddress peer = request.getSourceContext().getPeerAddress();
        long offset = block.getOffset();
        boolean[] continued = {false};
        transfers.computeIfPresent(peer, (p, last) -> {
            if (last.name().equals(name) && offset > last.offset() && offset <= last.offset() + MAX_BLOCK) {
                continued[0] = true;
                return new Transfer(name, offset, now);
            }
            return last;
        });
        return continued[0];
    }

    /** Records a counted request for {@code /fw/{name}}: the start (or a restart) of the peer's transfer. */
    void track(Request request, long now) {
        String name = artifact(request);
        if (name == null) {
            return;
        }
        InetSocketAddress peer = request.getSourceContext().getPeerAddress();
        if (transfers.size() >= MAX_TRANSFERS && !transfers.containsKey(peer)) {
            transfers.values().removeIf(t -> now - t.at() > IDLE_NANOS);
            if (transfers.size() >= MAX_TRANSFERS) {
                return;
            }
        }
        BlockOption block = request.getOptions().getBlock2();
        transfers.put(peer, new Transfer(name, block == null ? 0 : block.getOffset(), now));
    }

    int size() {
        return transfers.size();
    }

    private static String artifact(Request request) {
        List<String> path = request.getOptions().getUriPath();
        return request.getCode() == Code.GET && path.size() == 2 && path.get(0).equals("fw") ? path.get(1) : null;
    }

    private record Transfer(String name, long offset, long at) {}
}

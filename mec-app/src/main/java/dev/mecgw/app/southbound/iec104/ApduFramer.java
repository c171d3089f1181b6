package dev.mecgw.app.southbound.iec104;

import java.util.function.Consumer;

/**
 * Cuts a TCP byte stream into APDUs. Holds at most one incomplete APDU (255 octets), so a peer cannot make it buffer
 * more. Not thread-safe: feed it from the connection's event loop.
 */
public final class ApduFramer {

    private final byte[] pending = new byte[2 + Apdu.MAX_LENGTH];
    private int filled;
    private final Consumer<byte[]> frames;

    /** @param frames receives each complete APDU, start octet included */
    public ApduFramer(Consumer<byte[]> frames) {
        this.frames = frames;
    }

    /**
     * Adds received octets; complete APDUs go to the consumer before this returns.
     *
     * @throws Iec104FrameException on a wrong start octet or a length below 4; the stream cannot be resynchronized
     */
    public void feed(byte[] data) {
        int at = 0;
        while (at < data.length) {
            if (filled < 2) {
                pending[filled++] = data[at++];
                if (filled == 1 && (pending[0] & 0xFF) != Apdu.START) {
                    throw new Iec104FrameException("stream lost its APDU framing");
                }
                if (filled == 2 && (pending[1] & 0xFF) < 4) {
                    throw new Iec104FrameException("APDU length " + (pending[1] & 0xFF) + " below 4");
                }
                continue;
            }
            int total = 2 + (pending[1] & 0xFF);
            int take = Math.min(total - filled, data.length - at);
            System.arraycopy(data, at, pending, filled, take);
            filled += take;
            at += take;
            if (filled == total) {
                byte[] frame = new byte[total];
                System.arraycopy(pending, 0, frame, 0, total);
                filled = 0;
                frames.accept(frame);
            }
        }
    }
}

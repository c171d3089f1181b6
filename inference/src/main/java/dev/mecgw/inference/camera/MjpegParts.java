package dev.mecgw.inference.camera;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Splits a {@code multipart/x-mixed-replace} body (an MJPEG camera stream) into the bodies of its parts.
 * A part with a {@code Content-Length} header is read by length; one without is read up to the next
 * delimiter. Cameras differ in how they write the boundary (with or without the leading {@code --} the
 * declared parameter may already hold), so the delimiter is matched on the boundary with its leading
 * dashes stripped. Not thread-safe: one reader thread per stream.
 */
final class MjpegParts {

    private static final int MAX_HEADER_LINE = 8192;
    private static final int MAX_HEADERS = 64;

    private final InputStream in;
    private final byte[] delimiter;
    private final int maxPartBytes;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;
    /** True when the last read stopped right after a delimiter, i.e. the stream is inside a delimiter line. */
    private boolean afterDelimiter;

    /**
     * @param boundary the {@code boundary} parameter of the response's content type
     * @param maxPartBytes largest part accepted; a bigger one fails the stream
     */
    MjpegParts(InputStream in, String boundary, int maxPartBytes) {
        this.in = in;
        String core = boundary.replaceFirst("^-+", "");
        if (core.isEmpty()) {
            throw new IllegalArgumentException("Empty multipart boundary");
        }
        this.delimiter = ("--" + core).getBytes(StandardCharsets.ISO_8859_1);
        this.maxPartBytes = maxPartBytes;
    }

    /**
     * The {@code boundary} parameter of a multipart content type, unquoted; null when absent or when the type
     * is not multipart.
     */
    static String boundary(String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
            return null;
        }
        for (String parameter : contentType.split(";")) {
            String p = parameter.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String value = p.substring("boundary=".length()).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return value.replaceFirst("^-+", "").isEmpty() ? null : value;
            }
        }
        return null;
    }

    /**
     * The next part's body.
     *
     * @return the body, or null when the stream ended (close delimiter, end of stream, or a truncated part)
     * @throws IOException when reading fails, or a part or its headers exceed the limits
     */
    byte[] next() throws IOException {
        if (!afterDelimiter && scan(false) == null) {
            return null;
        }
        afterDelimiter = false;
        String rest = line();
        if (rest == null || rest.startsWith("--")) {
            return null;
        }
        int length = headers();
        if (length == -2) {
            return null;
        }
        if (length >= 0) {
            if (length > maxPartBytes) {
                throw new IOException("MJPEG part of " + length + " bytes exceeds the limit of " + maxPartBytes);
            }
            byte[] body = new byte[length];
            return read(body) ? body : null;
        }
        byte[] body = scan(true);
        if (body == null) {
            return null;
        }
        afterDelimiter = true;
        return trimmed(body);
    }

    /** Reads headers up to the blank line; returns Content-Length, -1 when absent, -2 at end of stream. */
    private int headers() throws IOException {
        int length = -1;
        for (int i = 0; i < MAX_HEADERS; i++) {
            String header = line();
            if (header == null) {
                return -2;
            }
            if (header.isEmpty()) {
                return length;
            }
            int colon = header.indexOf(':');
            if (colon > 0 && header.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                try {
                    length = Integer.parseInt(header.substring(colon + 1).trim());
                } catch (NumberFormatException e) {
                    throw new IOException("MJPEG part has an invalid Content-Length: " + header);
                }
                if (length < 0) {
                    throw new IOException("MJPEG part has a negative Content-Length");
                }
            }
        }
        throw new IOException("MJPEG part has more than " + MAX_HEADERS + " headers");
    }

    /**
     * Reads up to and including the next delimiter.
     *
     * @param keep whether to return the bytes before the delimiter (else they are skipped)
     * @return the bytes before the delimiter (empty when not kept), or null at end of stream
     */
    private byte[] scan(boolean keep) throws IOException {
        byte[] kept = new byte[keep ? 16 * 1024 : delimiter.length];
        int length = 0;
        long seen = 0;
        byte last = delimiter[delimiter.length - 1];
        while (true) {
            int b = read();
            if (b < 0) {
                return null;
            }
            if (++seen > (long) maxPartBytes + delimiter.length) {
                throw new IOException("No MJPEG boundary within " + maxPartBytes + " bytes");
            }
            if (!keep && length == kept.length) {
                // Only the tail matters when skipping: keep the last delimiter-length bytes.
                System.arraycopy(kept, 1, kept, 0, length - 1);
                length--;
            } else if (length == kept.length) {
                kept = Arrays.copyOf(kept, (int) Math.min(length * 2L, (long) maxPartBytes + delimiter.length));
            }
            kept[length++] = (byte) b;
            if (b == (last & 0xff)
                    && length >= delimiter.length
                    && Arrays.equals(kept, length - delimiter.length, length, delimiter, 0, delimiter.length)) {
                return keep ? Arrays.copyOf(kept, length - delimiter.length) : new byte[0];
            }
        }
    }

    /** Drops the line break (and stray dashes) that belong to the delimiter line after the body. */
    private static byte[] trimmed(byte[] body) {
        int end = body.length;
        while (end > 0 && (body[end - 1] == '-' || body[end - 1] == '\r' || body[end - 1] == '\n')) {
            end--;
        }
        return end == body.length ? body : Arrays.copyOf(body, end);
    }

    /** One header line without its line break, or null at end of stream. */
    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = read();
            if (b < 0) {
                return null;
            }
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            if (line.length() == MAX_HEADER_LINE) {
                throw new IOException("MJPEG part header line exceeds " + MAX_HEADER_LINE + " bytes");
            }
            line.append((char) b);
        }
    }

    private boolean read(byte[] target) throws IOException {
        int done = 0;
        while (done < target.length) {
            if (position == limit && !fill()) {
                return false;
            }
            int n = Math.min(target.length - done, limit - position);
            System.arraycopy(buffer, position, target, done, n);
            position += n;
            done += n;
        }
        return true;
    }

    private int read() throws IOException {
        if (position == limit && !fill()) {
            return -1;
        }
        return buffer[position++] & 0xff;
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer);
        if (n <= 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }
}

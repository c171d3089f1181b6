package dev.mecgw.app.ota;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One byte range of an HTTP {@code Range} header (RFC 9110 §14) resolved against a representation's length.
 * Only a single {@code bytes} range is served: devices resume one download at a time, and a multi-range answer
 * (multipart/byteranges) would buy them nothing. Pure; see {@code ByteRangeTest}.
 *
 * @param first offset of the first byte sent
 * @param last offset of the last byte sent (inclusive)
 * @param partial whether the answer is 206 with Content-Range (false: 200 with the whole content)
 */
record ByteRange(long first, long last, boolean partial) {

    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d{0,18})-(\\d{0,18})");

    /** Raised for a range that cannot be served: the answer is 416 with {@code Content-Range: bytes * /size}. */
    static final class NotSatisfiable extends RuntimeException {
        NotSatisfiable(String message) {
            super(message, null, false, false);
        }
    }

    long length() {
        return last - first + 1;
    }

    /** The Content-Range value of a partial answer. */
    String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    /**
     * Resolves a Range header.
     *
     * @param header the header value; null or another unit than bytes: the whole content (RFC 9110 §14.2)
     * @param size the content length, at least 1
     * @throws NotSatisfiable for a malformed bytes range, several ranges, a first byte at or past the end, or an
     *     empty suffix
     */
    static ByteRange of(String header, long size) {
        if (header == null || !header.regionMatches(true, 0, "bytes=", 0, 6)) {
            return new ByteRange(0, size - 1, false);
        }
        Matcher m = SINGLE.matcher("bytes=" + header.substring(6).strip());
        if (!m.matches()) {
            throw new NotSatisfiable("Range must be one range bytes=first-[last] or bytes=-suffix");
        }
        String from = m.group(1);
        String to = m.group(2);
        if (from.isEmpty()) {
            if (to.isEmpty() || Long.parseLong(to) == 0) {
                throw new NotSatisfiable("Range suffix must be at least one byte");
            }
            return new ByteRange(Math.max(0, size - Long.parseLong(to)), size - 1, true);
        }
        long first = Long.parseLong(from);
        long last = to.isEmpty() ? size - 1 : Math.min(Long.parseLong(to), size - 1);
        if (first >= size) {
            throw new NotSatisfiable("Range starts at or past the end (" + size + " bytes)");
        }
        if (!to.isEmpty() && Long.parseLong(to) < first) {
            throw new NotSatisfiable("Range ends before it starts");
        }
        return new ByteRange(first, last, true);
    }
}

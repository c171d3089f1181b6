package dev.mecgw.app.console.devices;

import dev.mecgw.app.ingest.RawMessage;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A raw message as the device page shows it (issue 19). The payload is shown as text when it is valid UTF-8 without
 * control characters (tab and line breaks allowed; direction overrides and other invisible format characters
 * are written as {@code \\uXXXX}, so a payload cannot disguise itself), otherwise as hex; either way only the kept
 * prefix, with the full size. The template escapes the text for HTML.
 *
 * @param receivedAt ISO-8601 instant
 * @param protocol {@code mqtt} or {@code coap}
 * @param address topic or method and path
 * @param delivery QoS or CON/NON
 * @param stored whether it was stored
 * @param rejection the reason when refused, else null
 * @param format {@code text} or {@code hex}
 * @param payload the rendered payload (prefix)
 * @param size the payload's full size in bytes
 * @param truncated whether {@code payload} shows only a prefix
 */
public record RawMessageView(
        String receivedAt,
        String protocol,
        String address,
        String delivery,
        boolean stored,
        String rejection,
        String format,
        String payload,
        int size,
        boolean truncated) {

    static RawMessageView of(RawMessage message, int size) {
        byte[] kept = message.payload();
        boolean truncated = kept.length < size;
        Optional<String> text = text(kept, truncated);
        return new RawMessageView(
                message.receivedAt().toString(),
                message.protocol(),
                message.address(),
                message.delivery(),
                message.stored(),
                message.rejection(),
                text.isPresent() ? "text" : "hex",
                text.orElseGet(() -> HexFormat.ofDelimiter(" ").formatHex(kept)),
                size,
                truncated);
    }

    /** The payload as safe text, or empty when it is binary. */
    static Optional<String> text(byte[] bytes, boolean truncated) {
        int end = truncated ? completeUtf8Prefix(bytes) : bytes.length;
        CharBuffer chars;
        try {
            chars = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, end));
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
        StringBuilder out = new StringBuilder(chars.length());
        for (int i = 0; i < chars.length(); i++) {
            char c = chars.charAt(i);
            if (c == '\t' || c == '\n' || c == '\r') {
                out.append(c);
            } else if (Character.isISOControl(c)) {
                return Optional.empty();
            } else if (Character.getType(c) == Character.FORMAT) {
                out.append(String.format("\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        return Optional.of(out.toString());
    }

    /** Length of the prefix that does not end inside a UTF-8 sequence cut by truncation. */
    private static int completeUtf8Prefix(byte[] bytes) {
        int end = bytes.length;
        for (int back = 1; back <= 3 && end - back >= 0; back++) {
            int b = bytes[end - back] & 0xFF;
            if ((b & 0xC0) == 0x80) {
                continue; // a continuation byte: look further back for the lead byte
            }
            int needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return needed > back ? end - back : end;
        }
        return end;
    }
}

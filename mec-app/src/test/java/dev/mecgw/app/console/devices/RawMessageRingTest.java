package dev.mecgw.app.console.devices;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.app.ingest.RawMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 19: the device's last raw messages are bounded per device and in bytes overall, and shown safely. */
class RawMessageRingTest {

    private static final Instant AT = Instant.parse("2026-12-06T04:00:00Z");

    @Test
    void shouldKeepNewestFirstAndDropOldestWhenDeviceExceedsItsCount() {
        // given a ring of 3 per device
        RawMessageRing ring = new RawMessageRing(3, 1 << 20, 64);

        // when a device sends 5 messages
        for (int i = 1; i <= 5; i++) {
            ring.record(givenText("dev-1", "{\"seq\":" + i + "}"));
        }

        // then the last 3 are kept, newest first
        assertThat(ring.of("dev-1"))
                .extracting(RawMessageView::payload)
                .containsExactly("{\"seq\":5}", "{\"seq\":4}", "{\"seq\":3}");
        assertThat(ring.size()).isEqualTo(3);
    }

    @Test
    void shouldStayWithinByteBoundWhenManyDevicesSendLargePayloads() {
        // given a 64 KiB bound and 1 KiB kept per payload
        long bound = 64 * 1024;
        RawMessageRing ring = new RawMessageRing(20, bound, 1024);

        // when 1,000 devices each send a 1 MiB payload (only a prefix is kept) and a long topic
        for (int i = 0; i < 1000; i++) {
            ring.record(new RawMessage(
                    "dev-" + i,
                    "mqtt",
                    "devices/dev-" + i + "/telemetry" + "x".repeat(10_000),
                    "QoS 1",
                    new byte[1 << 20],
                    AT.plusSeconds(i),
                    null));
            assertThat(ring.bytes()).isLessThanOrEqualTo(bound);
        }

        // then the oldest devices were evicted first, the newest device is kept with the full size known
        assertThat(ring.of("dev-0")).isEmpty();
        assertThat(ring.version("dev-0")).isEqualTo("0");
        List<RawMessageView> newest = ring.of("dev-999");
        assertThat(newest).singleElement().satisfies(m -> {
            assertThat(m.size()).isEqualTo(1 << 20);
            assertThat(m.truncated()).isTrue();
            assertThat(m.address()).hasSize(RawMessageRing.MAX_TEXT);
        });
        assertThat(ring.size()).isBetween(2, 1000);
    }

    @Test
    void shouldEvictOldestOfAnyDeviceWhenBytesRunOut() {
        // given a bound that holds a few messages only
        RawMessageRing ring = new RawMessageRing(20, 65_536, 16_384);
        byte[] big = new byte[16_000];

        // when a quiet device sent once, then a chatty one sends many
        ring.record(new RawMessage("quiet", "coap", "POST /telemetry", "CON", big, AT, null));
        for (int i = 0; i < 10; i++) {
            ring.record(new RawMessage("chatty", "mqtt", "t", "QoS 0", big, AT.plusSeconds(i), null));
        }

        // then the quiet device's older message went first and the bound holds
        assertThat(ring.of("quiet")).isEmpty();
        assertThat(ring.of("chatty")).isNotEmpty().hasSizeLessThan(10);
        assertThat(ring.bytes()).isLessThanOrEqualTo(65_536);
    }

    @Test
    void shouldChangeVersionWhenMessageArrives() {
        RawMessageRing ring = new RawMessageRing(2, 1 << 20, 64);
        String before = ring.version("dev-1");
        ring.record(givenText("dev-1", "a"));
        String after = ring.version("dev-1");
        ring.record(givenText("dev-1", "b"));
        ring.record(givenText("dev-1", "c"));

        assertThat(before).isEqualTo("0");
        assertThat(after).isNotEqualTo(before);
        assertThat(ring.version("dev-1")).isNotEqualTo(after);
    }

    @Test
    void shouldShowHexWhenPayloadIsBinary() {
        // given a CBOR-like payload with bytes that are not UTF-8
        RawMessageRing ring = new RawMessageRing(5, 1 << 20, 4);
        byte[] cbor = {(byte) 0x81, (byte) 0xa2, 0x00, 0x61, 0x74};

        // when
        ring.record(new RawMessage("dev-1", "coap", "POST /telemetry", "CON", cbor, AT, null));

        // then the kept prefix is hex, with the full size
        RawMessageView view = ring.of("dev-1").get(0);
        assertThat(view.format()).isEqualTo("hex");
        assertThat(view.payload()).isEqualTo("81 a2 00 61");
        assertThat(view.size()).isEqualTo(5);
        assertThat(view.truncated()).isTrue();
    }

    @Test
    void shouldShowTextWithControlsAsHexAndFormatCharactersEscaped() {
        assertThat(RawMessageView.text("{\"t\":\n1}".getBytes(StandardCharsets.UTF_8), false))
                .contains("{\"t\":\n1}");
        assertThat(RawMessageView.text(new byte[] {'a', 0x00, 'b'}, false)).isEmpty();
        assertThat(RawMessageView.text("a\u202Eb".getBytes(StandardCharsets.UTF_8), false))
                .contains("a\\u202Eb");
    }

    @Test
    void shouldKeepTextWhenTruncationCutsMultiByteCharacter() {
        // given "é" (2 bytes) cut after its first byte by a 4-byte prefix of "abcé"
        RawMessageRing ring = new RawMessageRing(5, 1 << 20, 4);
        ring.record(givenText("dev-1", "abcé"));

        // then the text is shown up to the last whole character
        RawMessageView view = ring.of("dev-1").get(0);
        assertThat(view.format()).isEqualTo("text");
        assertThat(view.payload()).isEqualTo("abc");
        assertThat(view.size()).isEqualTo(5);
    }

    @Test
    void shouldKeepRejectionReasonWhenRefused() {
        RawMessageRing ring = new RawMessageRing(5, 1 << 20, 64);
        ring.record(new RawMessage(
                "dev-1",
                "mqtt",
                "devices/dev-1/telemetry",
                "QoS 1",
                "{".getBytes(StandardCharsets.UTF_8),
                AT,
                "payload is not valid JSON"));

        RawMessageView view = ring.of("dev-1").get(0);
        assertThat(view.stored()).isFalse();
        assertThat(view.rejection()).isEqualTo("payload is not valid JSON");
        assertThat(view.receivedAt()).isEqualTo("2026-12-06T04:00:00Z");
    }

    private static RawMessage givenText(String device, String text) {
        return new RawMessage(
                device,
                "mqtt",
                "devices/" + device + "/telemetry",
                "QoS 1",
                text.getBytes(StandardCharsets.UTF_8),
                AT,
                null);
    }
}

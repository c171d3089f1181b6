package dev.mecgw.app.southbound.iec104;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Malformed input never escapes the codec as anything but {@link Iec104FrameException} (issue 21 item 5: fuzz): the
 * station turns that exception into a dropped and re-established connection ({@code Iec104StationTest} shows that
 * over TCP), while an index or arithmetic error would kill the connection's handler instead. Seeded, so a failure
 * reproduces.
 */
class Iec104FuzzTest {

    private final AsduCodec codec = new AsduCodec(ZoneOffset.UTC);
    private final Random random = new Random(21);

    @Test
    void shouldRejectMutatedFramesOnlyWithFrameExceptions() {
        List<byte[]> valid = validFrames();
        int rejected = 0;
        for (int i = 0; i < 50_000; i++) {
            byte[] frame = mutate(valid.get(random.nextInt(valid.size())));
            try {
                List<byte[]> cut = new ArrayList<>();
                new ApduFramer(cut::add).feed(frame);
                for (byte[] apdu : cut) {
                    if (ApciCodec.decode(apdu) instanceof Apdu.Information info) {
                        codec.decode(info.asdu());
                    }
                }
            } catch (Iec104FrameException expected) {
                rejected++;
            }
        }
        // Most mutations break something; the point is that nothing else was thrown.
        assertThat(rejected).isGreaterThan(5_000);
    }

    @Test
    void shouldRejectRandomOctetsOnlyWithFrameExceptions() {
        for (int i = 0; i < 50_000; i++) {
            byte[] asdu = new byte[random.nextInt(260)];
            random.nextBytes(asdu);
            if (asdu.length > 0 && random.nextBoolean()) {
                asdu[0] = (byte) TypeId.values()[random.nextInt(TypeId.values().length)].code();
            }
            try {
                codec.decode(asdu);
            } catch (Iec104FrameException expected) {
                // the only way out
            }
        }
    }

    private byte[] mutate(byte[] frame) {
        byte[] out = frame.clone();
        switch (random.nextInt(4)) {
            case 0 -> out[random.nextInt(out.length)] = (byte) random.nextInt(256);
            case 1 -> out[1] = (byte) random.nextInt(256);
            case 2 -> {
                byte[] cut = new byte[random.nextInt(out.length)];
                System.arraycopy(out, 0, cut, 0, cut.length);
                return cut;
            }
            default -> {
                for (int n = random.nextInt(6); n >= 0; n--) {
                    out[2 + random.nextInt(out.length - 2)] = (byte) random.nextInt(256);
                }
            }
        }
        return out;
    }

    private List<byte[]> validFrames() {
        Cp56Time time = Cp56Time.of(Instant.parse("2026-02-28T23:59:59.999Z"));
        List<byte[]> frames = new ArrayList<>();
        for (TypeId type : TypeId.values()) {
            InformationObject o = new InformationObject(100, 1, 0, type.timeTagged() ? time : null);
            Asdu asdu = new Asdu(type, false, Cot.SPONTANEOUS, false, false, 0, 1, List.of(o, o, o));
            frames.add(ApciCodec.encode(new Apdu.Information(1, 2, codec.encode(asdu))));
        }
        frames.add(ApciCodec.encode(new Apdu.Supervisory(5)));
        frames.add(ApciCodec.encode(new Apdu.Unnumbered(Apdu.Function.TESTFR_ACT)));
        return frames;
    }
}

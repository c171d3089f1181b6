package dev.mecgw.app.southbound.iec104;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** ASDU and APCI octets against vectors worked out by hand from IEC 60870-5-101 clause 7 and 104 clause 5. */
class AsduCodecTest {

    private static final Instant T = Instant.parse("2026-12-05T21:50:12.345Z");
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

    private final AsduCodec codec = new AsduCodec(ZoneOffset.UTC);

    @Test
    void shouldEncodeShortFloatAsTheStandardLaysItOut() {
        // M_ME_NC_1, 1 object, spontaneous, CA 1, IOA 1, 1.0f, QDS 0
        Asdu asdu = Asdu.of(TypeId.M_ME_NC_1, Cot.SPONTANEOUS, 1, List.of(new InformationObject(1, 1.0, 0, null)));
        byte[] frame = ApciCodec.encode(new Apdu.Information(0, 0, codec.encode(asdu)));
        assertThat(HEX.formatHex(frame)).isEqualTo("68 12 00 00 00 00 0d 01 03 00 01 00 01 00 00 00 00 80 3f 00");
    }

    @Test
    void shouldWriteCp56Time2aFieldByField() {
        Asdu asdu = Asdu.of(
                TypeId.M_SP_TB_1,
                Cot.SPONTANEOUS,
                0x0102,
                List.of(new InformationObject(0x030201, 1, 0x40, Cp56Time.of(T))));
        // SIQ 0x41 (NT + on); ms 12345 = 0x3039; min 50; hour 21; day 5 + Saturday (6) << 5; month 12; year 26
        assertThat(HEX.formatHex(codec.encode(asdu))).isEqualTo("1e 01 03 00 02 01 01 02 03 41 39 30 32 15 c5 0c 1a");
    }

    @Test
    void shouldEncodeSelectOfADoubleCommand() {
        // C_DC_NA_1 act, DCO: on (2) with S/E
        Asdu asdu = Asdu.of(
                TypeId.C_DC_NA_1,
                Cot.ACTIVATION,
                1,
                List.of(new InformationObject(5000, 2, InformationObject.SELECT, null)));
        assertThat(HEX.formatHex(codec.encode(asdu))).isEqualTo("2e 01 06 00 01 00 88 13 00 82");
    }

    @ParameterizedTest
    @EnumSource(TypeId.class)
    void shouldDecodeWhatItEncodesWhenTypeIsAny(TypeId type) {
        double value = switch (type) {
            case M_SP_NA_1, M_SP_TB_1, C_SC_NA_1 -> 1;
            case M_DP_NA_1, M_DP_TB_1, C_DC_NA_1 -> 2;
            case M_ME_NA_1, M_ME_TD_1 -> -0.25;
            case M_ME_NB_1, M_ME_TE_1 -> -1234;
            case M_ME_NC_1, M_ME_TF_1, C_SE_NC_1 -> 49.5;
            case M_IT_NA_1, M_IT_TB_1 -> 123456789;
            case C_IC_NA_1, M_EI_NA_1 -> 20;
            case C_CS_NA_1 -> 0;
        };
        int qualifier = type.monitoring() && type != TypeId.M_SP_NA_1 ? 0x80 : 0;
        Cp56Time time = type.timeTagged() ? new Cp56Time(T, true, true) : null;
        Asdu asdu = new Asdu(
                type,
                false,
                Cot.SPONTANEOUS,
                true,
                true,
                9,
                65534,
                List.of(
                        new InformationObject(16777215, value, qualifier, time),
                        new InformationObject(1, value, qualifier, time)));
        assertThat(codec.decode(codec.encode(asdu))).isEqualTo(asdu);
    }

    @Test
    void shouldNumberObjectsWhenSequenceBitIsSet() {
        // M_ME_NB_1 with SQ = 1: IOA 100 once, then three scaled values 1, 2, 3
        byte[] octets = HEX.parseHex("0b 83 14 00 01 00 64 00 00 01 00 00 02 00 10 03 00 80");
        Asdu asdu = codec.decode(octets);
        assertThat(asdu.objects())
                .containsExactly(
                        new InformationObject(100, 1, 0, null),
                        new InformationObject(101, 2, 0x10, null),
                        new InformationObject(102, 3, 0x80, null));
        assertThat(codec.encode(asdu)).isEqualTo(octets);
    }

    @Test
    void shouldRefuseAsduWhoseLengthDoesNotMatchItsType() {
        assertThatThrownBy(() -> codec.decode(HEX.parseHex("0d 02 03 00 01 00 01 00 00 00 00 80 3f 00")))
                .isInstanceOf(Iec104FrameException.class)
                .hasMessageContaining("expected");
        assertThatThrownBy(() -> codec.decode(HEX.parseHex("0d 00 03 00 01 00")))
                .isInstanceOf(Iec104FrameException.class);
        assertThatThrownBy(() -> codec.decode(HEX.parseHex("0d 01"))).isInstanceOf(Iec104FrameException.class);
    }

    @Test
    void shouldRefuseTimeTagOutOfRange() {
        // minute 61
        assertThatThrownBy(() -> codec.decode(HEX.parseHex("1e 01 03 00 01 00 01 00 00 01 00 00 3d 00 01 01 1a")))
                .isInstanceOf(Iec104FrameException.class);
    }

    @Test
    void shouldNameUnknownTypes() {
        assertThatThrownBy(() -> codec.decode(HEX.parseHex("05 01 03 00 01 00 01 00 00 01 00")))
                .isInstanceOfSatisfying(
                        AsduCodec.UnknownTypeException.class,
                        e -> assertThat(e.code()).isEqualTo(5));
    }

    @Test
    void shouldReadEveryApciFormat() {
        assertThat(ApciCodec.decode(HEX.parseHex("68 04 07 00 00 00")))
                .isEqualTo(new Apdu.Unnumbered(Apdu.Function.STARTDT_ACT));
        assertThat(ApciCodec.decode(HEX.parseHex("68 04 01 00 fe ff"))).isEqualTo(new Apdu.Supervisory(32767));
        Apdu.Information i = (Apdu.Information) ApciCodec.decode(HEX.parseHex("68 05 fe ff 02 00 64"));
        assertThat(i.sendSeq()).isEqualTo(32767);
        assertThat(i.recvSeq()).isEqualTo(1);
        assertThatThrownBy(() -> ApciCodec.decode(HEX.parseHex("68 04 00 00 00 00")))
                .isInstanceOf(Iec104FrameException.class);
        assertThatThrownBy(() -> ApciCodec.decode(HEX.parseHex("68 04 0f 00 00 00")))
                .isInstanceOf(Iec104FrameException.class);
    }

    @Test
    void shouldCutAStreamIntoApdusWhateverTheChunking() {
        List<byte[]> frames = new java.util.ArrayList<>();
        ApduFramer framer = new ApduFramer(frames::add);
        byte[] two = HEX.parseHex("68 04 07 00 00 00 68 05 00 00 00 00 64");
        for (byte b : two) {
            framer.feed(new byte[] {b});
        }
        assertThat(frames).hasSize(2);
        assertThatThrownBy(() -> framer.feed(new byte[] {0x69})).isInstanceOf(Iec104FrameException.class);
    }
}

package dev.mecgw.app.southbound.modbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.southbound.modbus.RegisterSpec.DataType;
import dev.mecgw.app.southbound.modbus.RegisterSpec.Table;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegisterCodecTest {

    @ParameterizedTest(name = "{0} words {1} bytes {2}: {3}")
    @CsvSource({
        // 123456.5f = 0x47F12040: ABCD, CDAB, BADC, DCBA
        "FLOAT32, big, big, 47F12040, 123456.5",
        "FLOAT32, little, big, 204047F1, 123456.5",
        "FLOAT32, big, little, F1474020, 123456.5",
        "FLOAT32, little, little, 4020F147, 123456.5",
        "INT16, big, big, FF85, -123",
        "INT16, big, little, 85FF, -123",
        "UINT16, big, big, FF85, 65413",
        "INT32, big, big, FFFE1DC0, -123456",
        "INT32, little, big, 1DC0FFFE, -123456",
        "UINT32, big, big, FFFE1DC0, 4294843840",
        "UINT32, little, little, C01DFEFF, 4294843840",
        // -2.5e10 = 0xC2174876E8000000
        "FLOAT64, big, big, C2174876E8000000, -2.5E10",
        "FLOAT64, little, big, 0000E8004876C217, -2.5E10",
        "FLOAT64, little, little, 000000E8764817C2, -2.5E10",
    })
    void shouldDecodeAndEncodeEveryTypeAndOrder(DataType type, String words, String bytes, String hex, double value) {
        // given
        RegisterSpec spec = spec(type, words.equals("little"), bytes.equals("little"), 1, 0);

        // when / then
        assertThat(RegisterCodec.decode(spec, HexFormat.of().parseHex(hex), 0)).isEqualTo(value);
        assertThat(HexFormat.of().withUpperCase().formatHex(RegisterCodec.encode(spec, value)))
                .isEqualTo(hex);
    }

    @Test
    void shouldReverseScaleAndOffsetWhenEncoding() {
        // given: tenths of a degree with a -40 offset
        RegisterSpec spec = spec(DataType.INT16, false, false, 0.1, -40);

        // when / then
        assertThat(HexFormat.of().formatHex(RegisterCodec.encode(spec, 21.5))).isEqualTo("0267");
        assertThat(RegisterCodec.decode(spec, HexFormat.of().parseHex("0267"), 0) * 0.1 - 40)
                .isCloseTo(21.5, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void shouldRefuseValuesOutOfTheTypeOrConfiguredRange() {
        assertThatThrownBy(() -> RegisterCodec.encode(spec(DataType.UINT16, false, false, 1, 0), 65536))
                .isInstanceOf(GatewayException.class)
                .hasMessageContaining("value");
        assertThatThrownBy(() -> RegisterCodec.encode(spec(DataType.INT16, false, false, 1, 0), -32769))
                .isInstanceOf(GatewayException.class);
        assertThatThrownBy(() -> RegisterCodec.encode(spec(DataType.UINT32, false, false, 1, 0), -1))
                .isInstanceOf(GatewayException.class);
        RegisterSpec limited = new RegisterSpec(
                "setpoint", Table.HOLDING, 0, DataType.FLOAT32, false, false, 1, 0, 1000, null, 0.0, 100.0);
        assertThatThrownBy(() -> RegisterCodec.encode(limited, 100.5)).isInstanceOf(GatewayException.class);
        assertThat(RegisterCodec.encode(limited, 100.0)).hasSize(4);
    }

    private static RegisterSpec spec(
            DataType type, boolean wordsLittle, boolean bytesLittle, double scale, double offset) {
        return new RegisterSpec(
                "m", Table.HOLDING, 0, type, wordsLittle, bytesLittle, scale, offset, 1000, null, null, null);
    }
}

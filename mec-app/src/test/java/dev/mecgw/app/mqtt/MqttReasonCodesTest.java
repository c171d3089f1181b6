package dev.mecgw.app.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.app.problem.ErrorKind;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttSubAckReasonCode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class MqttReasonCodesTest {

    static Stream<Arguments> pubackTable() {
        return Stream.of(
                Arguments.of(ErrorKind.BAD_REQUEST, 0x99),
                Arguments.of(ErrorKind.UNPROCESSABLE, 0x99),
                Arguments.of(ErrorKind.UNAUTHORIZED, 0x87),
                Arguments.of(ErrorKind.FORBIDDEN, 0x87),
                Arguments.of(ErrorKind.NOT_FOUND, 0x90),
                Arguments.of(ErrorKind.QUOTA_EXCEEDED, 0x97),
                Arguments.of(ErrorKind.CONFLICT, 0x83),
                Arguments.of(ErrorKind.UNAVAILABLE, 0x83),
                Arguments.of(ErrorKind.INTERNAL, 0x80));
    }

    @ParameterizedTest
    @MethodSource("pubackTable")
    void shouldMapKindToPubackAndPubrecCodeWhenPublishIsRefused(ErrorKind kind, int code) {
        // when
        MqttPubAckReasonCode puback = MqttReasonCodes.puback(kind);
        // then
        assertThat(puback.value() & 0xff).isEqualTo(code);
        assertThat(MqttReasonCodes.pubrec(kind).value() & 0xff).isEqualTo(code);
    }

    static Stream<Arguments> connackTable() {
        return Stream.of(
                Arguments.of(ErrorKind.UNAUTHORIZED, 0x86, 4),
                Arguments.of(ErrorKind.FORBIDDEN, 0x87, 5),
                Arguments.of(ErrorKind.BAD_REQUEST, 0x85, 2),
                Arguments.of(ErrorKind.QUOTA_EXCEEDED, 0x97, 3),
                Arguments.of(ErrorKind.UNAVAILABLE, 0x88, 3),
                Arguments.of(ErrorKind.INTERNAL, 0x80, 3));
    }

    @ParameterizedTest
    @MethodSource("connackTable")
    void shouldMapKindToConnackCodeWhenConnectIsRefused(ErrorKind kind, int mqtt5, int mqtt311) {
        // when / then
        assertThat(MqttReasonCodes.connack(kind, true).byteValue() & 0xff).isEqualTo(mqtt5);
        assertThat(MqttReasonCodes.connack(kind, false).byteValue() & 0xff).isEqualTo(mqtt311);
    }

    @ParameterizedTest
    @EnumSource(ErrorKind.class)
    void shouldNeverAcceptWhenAnyKindIsMapped(ErrorKind kind) {
        // then: every failure maps to an error code on every packet type
        assertThat(MqttReasonCodes.connack(kind, true)).isNotEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
        assertThat(MqttReasonCodes.puback(kind).isError()).isTrue();
        assertThat(MqttReasonCodes.suback(kind, true).isError()).isTrue();
        assertThat(MqttReasonCodes.disconnect(kind).value() & 0xff).isGreaterThanOrEqualTo(0x80);
    }

    @Test
    void shouldAnswerFailureWhenSubscribeIsRefusedOnMqtt311() {
        // then
        assertThat(MqttReasonCodes.suback(ErrorKind.FORBIDDEN, false).value() & 0xff)
                .isEqualTo(0x80);
        assertThat(MqttReasonCodes.suback(ErrorKind.FORBIDDEN, true)).isEqualTo(MqttSubAckReasonCode.NOT_AUTHORIZED);
        assertThat(MqttReasonCodes.suback(ErrorKind.QUOTA_EXCEEDED, true))
                .isEqualTo(MqttSubAckReasonCode.QUOTA_EXCEEDED);
    }
}

package dev.mecgw.app.coap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import java.util.concurrent.CompletionException;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class CoapErrorResponseTest {

    @ParameterizedTest
    @CsvSource({
        "BAD_REQUEST, BAD_REQUEST",
        "UNPROCESSABLE, BAD_REQUEST",
        "UNAUTHORIZED, UNAUTHORIZED",
        "FORBIDDEN, FORBIDDEN",
        "NOT_FOUND, NOT_FOUND",
        "CONFLICT, CONFLICT",
        "QUOTA_EXCEEDED, SERVICE_UNAVAILABLE",
        "UNAVAILABLE, SERVICE_UNAVAILABLE",
        "INTERNAL, INTERNAL_SERVER_ERROR"
    })
    void shouldMapKindToCodeWhenConverting(ErrorKind kind, ResponseCode expected) {
        // when
        Response response = CoapErrorResponse.of(kind, "detail", true);

        // then
        assertThat(response.getCode()).isEqualTo(expected);
        assertThat(response.getPayloadString()).isEqualTo("detail");
    }

    @ParameterizedTest
    @EnumSource(
            value = ErrorKind.class,
            names = {"QUOTA_EXCEEDED", "UNAVAILABLE"})
    void shouldCarryMaxAgeWhenServiceUnavailable(ErrorKind kind) {
        // when
        Response response = CoapErrorResponse.of(kind, "later", true);

        // then
        assertThat(response.getOptions().getMaxAge()).isEqualTo(CoapErrorResponse.RETRY_AFTER_SECONDS);
    }

    @ParameterizedTest
    @EnumSource(ErrorKind.class)
    void shouldOmitDiagnosticPayloadWhenPeerIsUnauthenticated(ErrorKind kind) {
        // when
        Response response = CoapErrorResponse.of(kind, "a long client-safe message", false);

        // then
        assertThat(response.getPayloadSize()).isZero();
    }

    @Test
    void shouldUnwrapGatewayExceptionWhenStageFailed() {
        // given
        Throwable failure = new CompletionException(new GatewayException(ErrorKind.NOT_FOUND, "Device x not found"));

        // when
        Response response = CoapErrorResponse.of(failure, true);

        // then
        assertThat(response.getCode()).isEqualTo(ResponseCode.NOT_FOUND);
        assertThat(response.getPayloadString()).isEqualTo("Device x not found");
    }

    @Test
    void shouldHideDetailsWhenFailureIsUnexpected() {
        // when
        Response response = CoapErrorResponse.of(new IllegalStateException("secret internals"), true);

        // then
        assertThat(response.getCode()).isEqualTo(ResponseCode.INTERNAL_SERVER_ERROR);
        assertThat(response.getPayloadString()).doesNotContain("secret");
    }

    @Test
    void shouldNameLimitWhenEntityTooLarge() {
        // when
        Response response = CoapErrorResponse.tooLarge(1024);

        // then
        assertThat(response.getCode()).isEqualTo(ResponseCode.REQUEST_ENTITY_TOO_LARGE);
        assertThat(response.getOptions().getSize1()).isEqualTo(1024);
    }
}

package dev.mecgw.cloud.problem;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RestProblemsTest {

    @ParameterizedTest
    @CsvSource({
        "BAD_REQUEST, 400",
        "UNAUTHORIZED, 401",
        "NOT_FOUND, 404",
        "CONFLICT, 409",
        "TOO_LARGE, 413",
        "UNAVAILABLE, 503",
        "INTERNAL, 500"
    })
    void shouldMapEveryKindToItsHttpStatus(ErrorKind kind, int status) {
        assertThat(RestProblems.status(kind)).isEqualTo(status);
    }

    @ParameterizedTest
    @CsvSource({"UNAUTHORIZED, WWW-Authenticate", "UNAVAILABLE, Retry-After"})
    void shouldAddTheKindsHeaderWhenAProblemIsAnsweredOutsideJaxRs(ErrorKind kind, String header) {
        assertThat(RestProblems.headers(kind)).containsKey(header);
    }
}

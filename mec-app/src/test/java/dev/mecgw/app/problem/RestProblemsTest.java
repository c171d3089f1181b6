package dev.mecgw.app.problem;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.Response;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class RestProblemsTest {

    @ParameterizedTest
    @CsvSource({
        "BAD_REQUEST,400",
        "UNAUTHORIZED,401",
        "FORBIDDEN,403",
        "NOT_FOUND,404",
        "CONFLICT,409",
        "UNPROCESSABLE,422",
        "QUOTA_EXCEEDED,429",
        "UNAVAILABLE,503",
        "INTERNAL,500"
    })
    void shouldMapEachKindToItsStatus(ErrorKind kind, int status) {
        assertThat(RestProblems.status(kind)).isEqualTo(status);
    }

    @ParameterizedTest
    @EnumSource(ErrorKind.class)
    void shouldBuildProblemJsonWhenAnyKindIsMapped(ErrorKind kind) {
        Response response = RestProblems.response(kind, "detail", "/api/x", List.of(new FieldError("f", "m")));
        assertThat(response.getMediaType().toString()).isEqualTo("application/problem+json");
        Problem problem = (Problem) response.getEntity();
        assertThat(problem.status()).isEqualTo(response.getStatus());
        assertThat(problem.errors()).containsExactly(new FieldError("f", "m"));
        assertThat(response.getHeaderString("WWW-Authenticate") != null).isEqualTo(kind == ErrorKind.UNAUTHORIZED);
    }
}

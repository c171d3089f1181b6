package dev.mecgw.app.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.inference.onnx.InferenceException.Reason;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InferenceProblemsTest {

    @Test
    void shouldMapEveryReasonToItsKindWhenConverted() {
        // given
        Map<Reason, ErrorKind> table = Map.of(
                Reason.INVALID_INPUT, ErrorKind.BAD_REQUEST,
                Reason.INVALID_METADATA, ErrorKind.BAD_REQUEST,
                Reason.CHECKSUM_MISMATCH, ErrorKind.BAD_REQUEST,
                Reason.CORRUPT_MODEL, ErrorKind.UNPROCESSABLE,
                Reason.SIGNATURE_MISMATCH, ErrorKind.UNPROCESSABLE,
                Reason.VERSION_EXISTS, ErrorKind.CONFLICT,
                Reason.NOT_FOUND, ErrorKind.NOT_FOUND,
                Reason.BUSY, ErrorKind.UNAVAILABLE,
                Reason.RUN_FAILED, ErrorKind.INTERNAL);

        // when / then
        assertThat(table).containsOnlyKeys(Reason.values());
        table.forEach((reason, kind) ->
                assertThat(InferenceProblems.kindOf(reason)).as(reason.name()).isEqualTo(kind));
    }
}

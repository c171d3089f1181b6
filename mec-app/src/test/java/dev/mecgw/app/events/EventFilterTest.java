package dev.mecgw.app.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.FieldError;
import dev.mecgw.app.problem.GatewayException;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventFilterTest {

    @Test
    void shouldListEverythingNewestFirstWhenNoParameterIsGiven() {
        // When
        EventQuery query = new EventFilter().toQuery();

        // Then
        assertThat(query.severities()).isEmpty();
        assertThat(query.state()).isEqualTo(EventQuery.State.ANY);
        assertThat(query.acknowledged()).isEmpty();
        assertThat(query.limit()).isEqualTo(EventFilter.DEFAULT_LIMIT);
    }

    @Test
    void shouldParseEveryParameterWhenAllAreValid() {
        // Given
        EventFilter filter = new EventFilter();
        filter.severity = "alarm, Warning";
        filter.state = "ACTIVE";
        filter.acknowledged = "false";
        filter.device = " d1 ";
        filter.kind = "rollout";
        filter.since = "2026-12-05T10:00:00Z";
        filter.until = "2026-12-05T11:00:00Z";
        filter.before = "42";
        filter.limit = "10";

        // When
        EventQuery query = filter.toQuery();

        // Then
        assertThat(query.severities()).isEqualTo(Set.of("alarm", "warning"));
        assertThat(query.state()).isEqualTo(EventQuery.State.ACTIVE);
        assertThat(query.acknowledged()).contains(false);
        assertThat(query.deviceId()).contains("d1");
        assertThat(query.kind()).contains("rollout");
        assertThat(query.since()).contains(Instant.parse("2026-12-05T10:00:00Z"));
        assertThat(query.until()).contains(Instant.parse("2026-12-05T11:00:00Z"));
        assertThat(query.beforeId()).isEqualTo(Optional.of(42L));
        assertThat(query.limit()).isEqualTo(10);
    }

    @Test
    void shouldNameEveryInvalidParameterWhenSeveralAreWrong() {
        // Given
        EventFilter filter = new EventFilter();
        filter.severity = "alarm,critical";
        filter.state = "open";
        filter.acknowledged = "yes";
        filter.since = "yesterday";
        filter.before = "0";
        filter.limit = "100000";

        // When
        GatewayException e = catchThrowableOfType(GatewayException.class, filter::toQuery);

        // Then
        assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
        assertThat(e.fieldErrors())
                .extracting(FieldError::field)
                .containsExactly("severity", "state", "acknowledged", "since", "before", "limit");
        assertThat(e.getMessage()).startsWith("Invalid severity");
    }
}

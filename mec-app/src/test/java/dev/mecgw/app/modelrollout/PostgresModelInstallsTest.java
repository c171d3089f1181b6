package dev.mecgw.app.modelrollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.mecgw.app.events.EventLog;
import dev.mecgw.sync.kafka.StoreRefusal;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * How a failed rollout step reaches the model downlink (review h1 item 3): a failure of the event log's store keeps
 * its SQLSTATE, so that a refusal for good is skipped rather than retried forever, and a defect is not disguised as a
 * store failure that a retry could fix.
 */
@QuarkusTest
class PostgresModelInstallsTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    EventLog events;

    private final String rollout = UUID.randomUUID().toString();

    @Test
    void shouldKeepTheSqlStateWhenTheEventLogsStoreRefusesTheStepsEvent() {
        // given a step whose event PostgreSQL's jsonb refuses for good (U+0000: SQLSTATE 22P05)
        PostgresModelInstalls store = new PostgresModelInstalls(dataSource);
        // when / then
        assertThatThrownBy(() -> store.state(
                        rollout,
                        "failed",
                        "reason",
                        null,
                        null,
                        () -> events.record(null, "model.rollout.failed", "alarm", Map.of("reason", "a\u0000b"))))
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("22P05");
                    assertThat(StoreRefusal.isPermanent(e)).isTrue();
                });
    }

    @Test
    void shouldKeepTheSqlStateWhenTheStoreRefusesAnOffer() {
        // given an offer whose model name PostgreSQL's text refuses for good (U+0000: SQLSTATE 22021)
        PostgresModelInstalls store = new PostgresModelInstalls(dataSource);
        String sha = "0".repeat(64);
        ModelOffer offer = new ModelOffer(
                rollout,
                "a\u0000b",
                "1",
                sha,
                1,
                1,
                List.of(sha),
                JsonNodeFactory.instance.objectNode(),
                Duration.ofMinutes(5),
                new GateLimits(0.01, 1.5, 0.2, 20, 0.2, 100));
        // when / then: the downlink skips it instead of retrying it forever
        assertThatThrownBy(() -> store.offer(offer, JsonNodeFactory.instance.objectNode(), null))
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("22021");
                    assertThat(StoreRefusal.isPermanent(e)).isTrue();
                });
    }

    @Test
    void shouldLetADefectPassUnchangedWhenTheStepFailsOtherwise() {
        // given a step whose companion write fails for a reason that is not the store's
        PostgresModelInstalls store = new PostgresModelInstalls(dataSource);
        IllegalStateException defect = new IllegalStateException("a defect");
        // when / then: not an SQLException, which the downlink would retry forever
        assertThatThrownBy(() -> store.state(rollout, "failed", "reason", null, null, () -> {
                    throw defect;
                }))
                .isSameAs(defect);
    }
}

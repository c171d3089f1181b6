package dev.mecgw.cloud.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mecgw.cloud.kafka.KafkaClients;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Two applier instances in one consumer group: the application's own and a second one that joins mid-stream and
 * leaves again, so the partitions move twice while changes flow. Every key must end at its newest version, once.
 */
@QuarkusTest
class ApplierRebalanceTest {

    private static final int KEYS = 60;
    private static final Duration WAIT = Duration.ofSeconds(90);

    @Inject
    KafkaClients kafka;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ApplyConfig config;

    private final String site = "r" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void shouldApplyEveryKeyToItsNewestVersionWhenASecondInstanceJoinsAndLeavesMidStream() throws Exception {
        try (Producer<String, byte[]> producer = kafka.producer()) {
            // given the first version of every key, applied by the application's instance
            sendVersion(producer, 1);
            await().atMost(WAIT).until(() -> count("true") == KEYS);

            // when a second instance joins the group and the next versions flow during the rebalance
            KafkaApplier second =
                    new KafkaApplier(kafka.consumer(config.groupId()), dataSource, Duration.ofMillis(200));
            Thread thread = new Thread(second, "second-applier");
            thread.start();
            sendVersion(producer, 2);
            await().atMost(WAIT).until(() -> second.assignedPartitions() > 0);
            sendVersion(producer, 3);
            await().atMost(WAIT).until(() -> second.appliedTotal() > 0);
            // an older version replayed behind the newer ones (a gateway re-sending after a crash)
            sendVersion(producer, 2);
            second.close();
            thread.join(WAIT.toMillis());
            sendVersion(producer, 4);

            // then every key holds version 4, and each row exists once
            await().atMost(WAIT).until(() -> count("(payload->>'v')::int = 4") == KEYS);
            assertThat(count("true")).isEqualTo(KEYS);
        }
    }

    private void sendVersion(Producer<String, byte[]> producer, int version) throws Exception {
        for (int id = 1; id <= KEYS; id++) {
            String row = "{\"id\":" + id + ",\"ts\":\"2026-12-05T15:00:00Z\",\"device_id\":\"d1\",\"kind\":\"k\","
                    + "\"severity\":\"info\",\"payload\":\"{\\\"v\\\":" + version + "}\"}";
            String value = "{\"before\":null,\"after\":" + row + ",\"op\":\"u\",\"ts_ms\":1,\"source\":{\"site\":\""
                    + site + "\",\"schema\":\"public\",\"table\":\"events\",\"lsn\":" + (version * 1000L + id)
                    + ",\"generation\":1,\"ts_ms\":1}}";
            producer.send(new ProducerRecord<>(
                    site + ".public.events", "{\"id\":" + id + "}", value.getBytes(StandardCharsets.UTF_8)));
        }
        producer.flush();
    }

    private int count(String condition) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT count(*) FROM events WHERE site_id = '" + site + "' AND " + condition)) {
            rows.next();
            return rows.getInt(1);
        }
    }
}

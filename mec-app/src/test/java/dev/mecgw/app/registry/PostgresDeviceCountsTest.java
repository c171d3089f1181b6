package dev.mecgw.app.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The one query of the device counts, as the heartbeat and the console's overview read it, on the real store. */
@QuarkusTest
class PostgresDeviceCountsTest {

    @Inject
    DataSource dataSource;

    @Inject
    DeviceRegistry registry;

    @Test
    void shouldCountRegisteredDevicesAndThoseOnline() {
        // Given the counts now, and two devices registered after them
        PostgresDeviceCounts counts = new PostgresDeviceCounts(dataSource);
        PostgresDeviceCounts.Counts before = counts.count();
        String first = givenDevice();
        givenDevice();
        PostgresDeviceCounts.Counts registered = counts.count();

        // When one of them connects
        registry.updatePresence(first, true, Instant.now());
        PostgresDeviceCounts.Counts connected = counts.count();

        // Then both count as registered, and the one that connected as online
        assertThat(registered.total()).isEqualTo(before.total() + 2);
        assertThat(connected.total()).isEqualTo(registered.total());
        assertThat(connected.online()).isEqualTo(registered.online() + 1);
    }

    private String givenDevice() {
        String id = "counted-" + UUID.randomUUID().toString().substring(0, 8);
        registry.create(new DeviceRequest(id, "sensor", Map.of(), null, null, null));
        return id;
    }
}

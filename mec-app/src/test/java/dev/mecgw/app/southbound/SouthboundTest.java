package dev.mecgw.app.southbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mecgw.app.events.EventLog;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.registry.ConnectionPolicy;
import dev.mecgw.app.registry.ConnectionPolicy.CheckedConnection;
import dev.mecgw.app.registry.CredentialsRequest;
import dev.mecgw.app.registry.Device;
import dev.mecgw.app.registry.DeviceFilter;
import dev.mecgw.app.registry.DevicePage;
import dev.mecgw.app.registry.DeviceRegistry;
import dev.mecgw.app.registry.DeviceRegistry.StoredConnection;
import dev.mecgw.app.registry.DeviceRequest;
import dev.mecgw.app.telemetry.Reading;
import dev.mecgw.app.twin.CommandReceipts;
import dev.mecgw.app.twin.DeviceCommand;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SouthboundTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, StoredConnection> stored = new ConcurrentHashMap<>();
    private final List<Reading> ingested = new CopyOnWriteArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final Map<String, Boolean> presence = new ConcurrentHashMap<>();
    private final Map<String, String> responses = new ConcurrentHashMap<>();
    private final List<String> opened = new CopyOnWriteArrayList<>();
    private final List<String> closed = new CopyOnWriteArrayList<>();
    private Southbound southbound;

    @AfterEach
    void close() {
        if (southbound != null) {
            southbound.close();
        }
    }

    @Test
    void shouldStartClientsAndFeedIngestWhenStarted() {
        // given
        givenDevice("plc-1", "{\"value\": 7}");
        southbound = givenASouthbound();

        // when
        southbound.start();

        // then
        await().until(() -> ingested.size() == 1);
        assertThat(ingested.get(0).deviceId()).isEqualTo("plc-1");
        assertThat(ingested.get(0).value()).isEqualTo(7.0);
        await().until(() ->
                southbound.status("plc-1").map(ConnectionStatus::state).orElse(null) == ConnectionState.ONLINE);
        await().until(() -> Boolean.TRUE.equals(presence.get("plc-1")) && events.contains("plc-1:southbound.online"));
    }

    @Test
    void shouldShowOfflineWithTheErrorAndRaiseOneEventWhenTheDeviceFails() {
        // given
        givenDevice("plc-2", "{\"value\": 1, \"fail\": \"connection refused\"}");
        southbound = givenASouthbound();

        // when
        southbound.start();

        // then
        await().until(() -> southbound
                .status("plc-2")
                .map(ConnectionStatus::lastError)
                .orElse("")
                .equals("connection refused"));
        assertThat(southbound.status("plc-2").orElseThrow().state()).isEqualTo(ConnectionState.OFFLINE);
        await().until(() -> events.contains("plc-2:southbound.offline"));
        assertThat(presence.get("plc-2")).isFalse();
    }

    @Test
    void shouldRestartAndStopClientsWhenTheRegistryChanges() {
        // given
        givenDevice("plc-3", "{\"value\": 1}");
        southbound = givenASouthbound();
        southbound.start();

        // when the settings change
        givenDevice("plc-3", "{\"value\": 2}");
        southbound.reconcile("plc-3");

        // then the old client closes and a new one runs
        await().until(() -> closed.size() == 1 && opened.size() == 2);

        // when the device is deleted
        stored.remove("plc-3");
        southbound.reconcile("plc-3");

        // then
        await().until(() -> closed.size() == 2);
        await().until(() -> southbound.status("plc-3").isEmpty());
    }

    @Test
    void shouldRecordTheCommandOutcomeAsTheResponseWhenACommandIsSent() {
        // given
        givenDevice("plc-4", "{\"value\": 1}");
        southbound = givenASouthbound();
        southbound.start();

        // when
        southbound
                .commands()
                .onCommand(new DeviceCommand(
                        "plc-4", "c-1", "write", "{\"x\":1}".getBytes(StandardCharsets.UTF_8), Instant.now()));
        southbound
                .commands()
                .onCommand(new DeviceCommand(
                        "plc-4", "c-2", "explode", "{}".getBytes(StandardCharsets.UTF_8), Instant.now()));
        southbound
                .commands()
                .onCommand(new DeviceCommand(
                        "mqtt-device", "c-3", "write", "{}".getBytes(StandardCharsets.UTF_8), Instant.now()));

        // then
        await().until(() -> responses.size() == 2);
        assertThat(responses.get("c-1")).isEqualTo("{\"status\":\"ok\",\"result\":{\"x\":1}}");
        assertThat(responses.get("c-2")).contains("\"status\":\"failed\"").contains("unknown command explode");
        assertThat(responses).doesNotContainKey("c-3");
    }

    @Test
    void shouldNameTheFieldWhenSettingsAreInvalid() {
        // given
        ConnectionPolicy policy = Southbound.policy(List.of(new FakeProtocol()));

        // when / then
        assertThat(policy.types()).containsExactly("fake");
        assertThatThrownBy(() -> policy.check("fake", JSON.createObjectNode().put("value", "x")))
                .isInstanceOfSatisfying(
                        GatewayException.class,
                        e -> assertThat(e.fieldErrors().get(0).field()).isEqualTo("connection.value"));
    }

    private void givenDevice(String id, String settings) {
        try {
            stored.put(id, new StoredConnection(id, "fake", (ObjectNode) JSON.readTree(settings), Map.of()));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private Southbound givenASouthbound() {
        SouthboundServices services = new SouthboundServices(
                new StoredRegistry(),
                readings -> {
                    ingested.addAll(readings);
                    return CompletableFuture.completedFuture(null);
                },
                new RecordingEvents(),
                new RecordingReceipts(),
                Clock.systemUTC());
        return Southbound.create(List.of(new FakeProtocol()), services, new TestConfig(), JSON);
    }

    /** A protocol whose client reads its one value from the settings, or fails with the {@code fail} setting. */
    private final class FakeProtocol implements SouthboundProtocol {

        @Override
        public String type() {
            return "fake";
        }

        @Override
        public CheckedConnection check(JsonNode connection) {
            SettingsReader settings = SettingsReader.of(connection).only(java.util.Set.of("value", "fail"));
            settings.number("value", 0);
            return new CheckedConnection(settings.node(), Map.of());
        }

        @Override
        public SouthboundClient open(SouthboundDevice device, SouthboundLink link) {
            opened.add(device.id());
            return new SouthboundClient() {
                @Override
                public void start() {
                    if (device.settings().has("fail")) {
                        link.offline(device.settings().get("fail").asText());
                        return;
                    }
                    link.online();
                    link.submit(List.of(new Reading(
                            device.id(),
                            "value",
                            link.clock().instant(),
                            device.settings().get("value").asDouble())));
                }

                @Override
                public CompletionStage<JsonNode> execute(DeviceCommand command) {
                    if (!command.name().equals("write")) {
                        return CompletableFuture.failedFuture(
                                GatewayException.badField("name", "unknown command " + command.name()));
                    }
                    try {
                        return CompletableFuture.completedFuture(JSON.readTree(command.payload()));
                    } catch (Exception e) {
                        return CompletableFuture.failedFuture(e);
                    }
                }

                @Override
                public void close() {
                    closed.add(device.id());
                }
            };
        }
    }

    private final class RecordingEvents implements EventLog {
        @Override
        public void record(String deviceId, String kind, String severity, Map<String, ?> payload) {
            events.add(deviceId + ":" + kind);
        }
    }

    private final class RecordingReceipts implements CommandReceipts {
        @Override
        public void delivered(String deviceId, String commandId) {
            // the response below is what the tests check
        }

        @Override
        public CompletionStage<Void> responded(String deviceId, String name, String commandId, byte[] response) {
            responses.put(commandId, new String(response, StandardCharsets.UTF_8));
            return CompletableFuture.completedFuture(null);
        }
    }

    private final class StoredRegistry implements DeviceRegistry {
        @Override
        public Optional<StoredConnection> connection(String id) {
            return Optional.ofNullable(stored.get(id));
        }

        @Override
        public List<StoredConnection> connections(Collection<String> types) {
            return List.copyOf(stored.values());
        }

        @Override
        public void updatePresence(String id, boolean online, Instant lastSeen) {
            presence.put(id, online);
        }

        @Override
        public Device create(DeviceRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Device> find(String id) {
            return Optional.empty();
        }

        @Override
        public Device update(String id, DeviceRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean delete(String id) {
            return false;
        }

        @Override
        public DevicePage list(DeviceFilter filter, int page, int size) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Device setCredentials(String id, CredentialsRequest credentials) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<StoredCredentials> credentials(String id) {
            return Optional.empty();
        }
    }

    static final class TestConfig implements SouthboundConfig {
        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public int workers() {
            return 2;
        }

        @Override
        public int workQueue() {
            return 100;
        }

        @Override
        public Duration minBackoff() {
            return Duration.ofMillis(50);
        }

        @Override
        public Duration maxBackoff() {
            return Duration.ofMillis(500);
        }
    }
}

package dev.mecgw.app.southbound.iec104;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.southbound.Backoff;
import dev.mecgw.app.southbound.SouthboundClient;
import dev.mecgw.app.southbound.SouthboundDevice;
import dev.mecgw.app.southbound.SouthboundLink;
import dev.mecgw.app.telemetry.Reading;
import dev.mecgw.app.twin.DeviceCommand;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** IEC 104 as a southbound protocol: settings validated into 400s naming the field, readings and state on the link. */
class Iec104ProtocolTest {

    private final ObjectMapper json = new ObjectMapper();
    private final Vertx vertx = Vertx.vertx();
    private final Iec104Protocol protocol = new Iec104Protocol(vertx, Iec104Options.defaults(), json);
    private final List<Reading> readings = new CopyOnWriteArrayList<>();
    private final List<String> states = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private Iec104TestOutstation outstation;

    @AfterEach
    void tearDown() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        timers.shutdownNow();
        if (outstation != null) {
            outstation.close();
        }
    }

    @Test
    void shouldNameTheFieldWhenSettingsAreInvalid() throws Exception {
        assertThatThrownBy(() ->
                        protocol.check(json.readTree("{\"host\":\"rtu\",\"points\":[{\"ioa\":1,\"metric\":\"v\"}]}")))
                .isInstanceOfSatisfying(
                        GatewayException.class,
                        e -> assertThat(e.fieldErrors().get(0).field()).isEqualTo("connection.commonAddress"));
        assertThatThrownBy(() -> protocol.check(json.readTree("{\"host\":\"rtu\",\"commonAddress\":1,"
                        + "\"points\":[{\"ioa\":1,\"metric\":\"v\"},{\"ioa\":1,\"metric\":\"w\"}]}")))
                .isInstanceOfSatisfying(
                        GatewayException.class,
                        e -> assertThat(e.fieldErrors().get(0).field()).isEqualTo("connection.points[1].ioa"));
        assertThatThrownBy(
                        () -> protocol.check(
                                json.readTree(
                                        "{\"host\":\"rtu\",\"commonAddress\":1,"
                                                + "\"points\":[{\"ioa\":1,\"metric\":\"v\"}],\"commands\":[{\"name\":\"t\",\"type\":\"pulse\",\"ioa\":2}]}")))
                .isInstanceOfSatisfying(
                        GatewayException.class,
                        e -> assertThat(e.fieldErrors().get(0).field()).isEqualTo("connection.commands[0].type"));
    }

    @Test
    void shouldStoreReadingsAndRunCommandsWhenOpenedFromRegistrySettings() throws Exception {
        // Given an outstation and a device of type iec104 pointing at it
        outstation = new Iec104TestOutstation(3).start();
        outstation.point(1001, 13, 231.5, 0);
        outstation.output(5001, true);
        JsonNode settings = json.readTree("{\"host\":\"127.0.0.1\",\"port\":" + outstation.port()
                + ",\"commonAddress\":3,\"points\":[{\"ioa\":1001,\"metric\":\"voltage\"}],"
                + "\"commands\":[{\"name\":\"trip\",\"type\":\"single\",\"ioa\":5001}]}");
        protocol.check(settings);
        SouthboundClient client =
                protocol.open(new SouthboundDevice("rtu-3", "iec104", (ObjectNode) settings, Map.of()), link());
        // When it starts
        client.start();
        // Then the interrogated value is submitted and the device is online
        await().until(() -> readings.size() == 1 && states.contains("online"));
        assertThat(readings.get(0).metric()).isEqualTo("voltage");
        assertThat(readings.get(0).value()).isEqualTo(231.5);
        // And a command is selected, executed and confirmed
        JsonNode result = client.execute(new DeviceCommand(
                        "rtu-3", "c1", "trip", "{\"value\":1}".getBytes(StandardCharsets.UTF_8), Instant.now()))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertThat(result.path("confirmed").asBoolean()).isTrue();
        assertThat(outstation.commands()).hasSize(2);
        client.close();
    }

    private SouthboundLink link() {
        return new SouthboundLink() {
            @Override
            public String deviceId() {
                return "rtu-3";
            }

            @Override
            public CompletionStage<Void> submit(List<Reading> batch) {
                readings.addAll(batch);
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void online() {
                states.add("online");
            }

            @Override
            public void offline(String error) {
                states.add("offline: " + error);
            }

            @Override
            public void event(String kind, String severity, Map<String, ?> payload) {}

            @Override
            public Executor workers() {
                return Runnable::run;
            }

            @Override
            public ScheduledExecutorService timers() {
                return timers;
            }

            @Override
            public Backoff backoff() {
                return new Backoff(Duration.ofMillis(50), Duration.ofMillis(200));
            }

            @Override
            public Clock clock() {
                return Clock.systemUTC();
            }
        };
    }
}

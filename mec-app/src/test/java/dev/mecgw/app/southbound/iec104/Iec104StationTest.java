package dev.mecgw.app.southbound.iec104;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The controlling station against the spec-written test outstation over loopback TCP (issue 21 item 5): general
 * interrogation at connect, spontaneous float and single points with time tags, quality kept, a command with
 * select-before-operate, link loss and reconnect, t1 time-out, malformed frames.
 */
class Iec104StationTest {

    private static final int CA = 7;
    private static final Instant T = Instant.parse("2026-12-05T21:50:12.345Z");

    private final Vertx vertx = Vertx.vertx();
    private final List<Iec104Reading> readings = new CopyOnWriteArrayList<>();
    private final List<String> states = new CopyOnWriteArrayList<>();
    private Iec104TestOutstation outstation;
    private Iec104Station station;

    @AfterEach
    void tearDown() throws Exception {
        if (station != null) {
            station.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        if (outstation != null) {
            outstation.close();
        }
    }

    @Test
    void shouldStoreInterrogatedPointsWhenConnected() throws Exception {
        // Given an outstation with a float, a scaled, a normalized, a single and a double point
        givenAnOutstation();
        outstation.point(1001, 13, 231.5, 0);
        outstation.point(1002, 11, -120, 0);
        outstation.point(1003, 9, 0.5, 0);
        outstation.point(2001, 1, 1, 0);
        outstation.point(2002, 3, 2, 0);
        // When the station connects
        givenAStation(Iec104Options.defaults());
        // Then the general interrogation's answers arrive as readings with cause 20
        await().until(() -> readings.size() == 5);
        assertThat(readings)
                .extracting(Iec104Reading::metric, Iec104Reading::value, Iec104Reading::cause)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("voltage", 231.5, 20),
                        org.assertj.core.groups.Tuple.tuple("power", -120.0, 20),
                        org.assertj.core.groups.Tuple.tuple("load", 0.5, 20),
                        org.assertj.core.groups.Tuple.tuple("breaker", 1.0, 20),
                        org.assertj.core.groups.Tuple.tuple("isolator", 2.0, 20));
        assertThat(station.state()).isEqualTo(Iec104Station.State.ONLINE);
        assertThat(outstation.interrogations()).isEqualTo(1);
    }

    @Test
    void shouldKeepTimeTagsAndQualityWhenDataIsSpontaneous() throws Exception {
        // Given a connected station
        givenAnOutstation();
        givenAStation(Iec104Options.defaults());
        await().until(() -> outstation.startedConnections() == 1 && outstation.interrogations() == 1);
        // When the outstation sends a float, an invalid float, a not topical single point and a counter
        outstation.spontaneousFloat(1001, 229.75f, 0, T);
        outstation.spontaneousFloat(1001, 0f, 0x80, T.plusMillis(1));
        outstation.spontaneousSingle(2001, false, 0x40, T.plusMillis(2));
        outstation.spontaneousCounter(3001, 123456, 0, T.plusMillis(3));
        // Then each is a reading at the outstation's time, flagged readings keep their flags
        await().until(() -> readings.size() == 4);
        assertThat(readings.get(0)).isEqualTo(new Iec104Reading("voltage", T, 229.75, 0, TypeId.M_ME_TF_1, 3));
        assertThat(readings.get(1).quality()).isEqualTo(Iec104Quality.INVALID);
        assertThat(readings.get(1).good()).isFalse();
        assertThat(readings.get(2))
                .isEqualTo(new Iec104Reading(
                        "breaker", T.plusMillis(2), 0, Iec104Quality.NOT_TOPICAL, TypeId.M_SP_TB_1, 3));
        assertThat(readings.get(3).value()).isEqualTo(123456);
    }

    @Test
    void shouldSelectThenExecuteWhenCommandNeedsSelectBeforeOperate() throws Exception {
        // Given an outstation with a breaker output that requires a select
        givenAnOutstation();
        outstation.output(5001, true);
        outstation.output(5002, false);
        givenAStation(Iec104Options.defaults());
        await().until(() -> station.state() == Iec104Station.State.ONLINE);
        // When the gateway sends the SBO command and a direct set point
        station.command("trip", 1).toCompletableFuture().get(10, TimeUnit.SECONDS);
        station.command("setpoint", 49.5).toCompletableFuture().get(10, TimeUnit.SECONDS);
        // Then the outstation saw a select, then an execute, and the set point
        assertThat(outstation.commands())
                .containsExactly(
                        new Iec104TestOutstation.ReceivedCommand(45, 5001, 1, true),
                        new Iec104TestOutstation.ReceivedCommand(45, 5001, 1, false),
                        new Iec104TestOutstation.ReceivedCommand(50, 5002, 49.5, false));
    }

    @Test
    void shouldFailCommandWhenOutstationRefusesTheSelect() throws Exception {
        // Given an outstation that refuses selects
        givenAnOutstation();
        outstation.output(5001, true);
        outstation.refuseSelects(true);
        givenAStation(Iec104Options.defaults());
        await().until(() -> station.state() == Iec104Station.State.ONLINE);
        // When the SBO command is sent, then it fails with the negative confirmation and no execute follows
        assertThatThrownBy(
                        () -> station.command("trip", 1).toCompletableFuture().get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(Iec104CommandException.class)
                .hasMessageContaining("refused the select");
        assertThat(outstation.commands()).hasSize(1);
    }

    @Test
    void shouldReconnectAndInterrogateAgainWhenLinkIsLost() throws Exception {
        // Given a connected station
        givenAnOutstation();
        outstation.point(1001, 13, 230, 0);
        givenAStation(fastOptions(Duration.ofSeconds(15)));
        await().until(() -> outstation.interrogations() == 1 && readings.size() == 1);
        // When the link is cut
        outstation.dropConnections();
        // Then the station goes offline, reconnects and interrogates again
        await().until(() -> outstation.interrogations() == 2 && readings.size() == 2);
        assertThat(states).anyMatch(s -> s.startsWith("OFFLINE")).endsWith("ONLINE");
        assertThat(outstation.accepted()).isEqualTo(2);
    }

    @Test
    void shouldDropTheConnectionWhenT1Expires() throws Exception {
        // Given an outstation that answers nothing
        givenAnOutstation();
        outstation.silent(true);
        // When the station connects, its STARTDT act is never confirmed
        givenAStation(fastOptions(Duration.ofMillis(300)));
        // Then t1 closes the connection and the station tries again
        await().until(() -> states.stream().anyMatch(s -> s.startsWith("OFFLINE t1 expired")));
        await().until(() -> outstation.accepted() >= 2);
        // And when the outstation answers again, the station comes online
        outstation.silent(false);
        await().until(() -> station.state() == Iec104Station.State.ONLINE);
    }

    @Test
    void shouldReconnectWhenFramesAreMalformed() throws Exception {
        // Given a connected station
        givenAnOutstation();
        givenAStation(fastOptions(Duration.ofSeconds(15)));
        await().until(() -> station.state() == Iec104Station.State.ONLINE);
        byte[][] garbage = {
            {0x11, 0x22, 0x33}, // no start octet
            {0x68, 2, 0, 0}, // length below 4
            {0x68, 4, 0x03, 1, 0, 0}, // U frame with a non-zero octet
            {0x68, 5, 0x00, 0, 0, 0, 13}, // I frame whose ASDU is cut short
            {0x68, 4, 0x01, 0, 0x7E, 0x7E} // S frame acknowledging frames never sent
        };
        for (byte[] g : garbage) {
            int before = outstation.accepted();
            // When the outstation sends a malformed frame
            outstation.sendRaw(g);
            // Then the station drops that connection and establishes a new one
            await().until(() -> outstation.accepted() == before + 1 && station.state() == Iec104Station.State.ONLINE);
        }
        assertThat(states.stream().filter(s -> s.startsWith("OFFLINE malformed")))
                .hasSizeGreaterThanOrEqualTo(3);
    }

    private void givenAnOutstation() throws Exception {
        outstation = new Iec104TestOutstation(CA).start();
    }

    private void givenAStation(Iec104Options options) {
        Iec104Device device = new Iec104Device(
                "rtu-1",
                "127.0.0.1",
                outstation.port(),
                CA,
                ZoneOffset.UTC,
                List.of(
                        new Iec104Point(1001, "voltage"),
                        new Iec104Point(1002, "power"),
                        new Iec104Point(1003, "load"),
                        new Iec104Point(2001, "breaker"),
                        new Iec104Point(2002, "isolator"),
                        new Iec104Point(3001, "energy")),
                List.of(
                        new Iec104Command("trip", TypeId.C_SC_NA_1, 5001, true),
                        new Iec104Command("setpoint", TypeId.C_SE_NC_1, 5002, false)));
        station = new Iec104Station(
                vertx,
                device,
                new Iec104Listener() {
                    @Override
                    public java.util.concurrent.CompletionStage<Void> onReadings(
                            String deviceId, List<Iec104Reading> batch) {
                        readings.addAll(batch);
                        return java.util.concurrent.CompletableFuture.completedFuture(null);
                    }

                    @Override
                    public void onState(String deviceId, Iec104Station.State state, String reason) {
                        states.add(reason == null ? state.name() : state + " " + reason);
                    }
                },
                options,
                Clock.fixed(T.truncatedTo(ChronoUnit.DAYS), ZoneOffset.UTC));
        station.start();
    }

    private static Iec104Options fastOptions(Duration t1) {
        return new Iec104Options(
                new LinkTiming(12, 8, t1, t1.dividedBy(2), t1.multipliedBy(2)),
                Duration.ofSeconds(5),
                Duration.ofMillis(20),
                Duration.ofMillis(200),
                Duration.ofSeconds(10),
                64 * 1024);
    }
}

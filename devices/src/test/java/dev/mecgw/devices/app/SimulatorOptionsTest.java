package dev.mecgw.devices.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mecgw.devices.signal.Fault;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SimulatorOptionsTest {

    @Test
    void shouldUseDocumentedDefaultsWhenNoOptionIsGiven() {
        SimulatorOptions options = SimulatorOptions.parse();

        assertThat(options.mqtt()).isEqualTo(20);
        assertThat(options.coap()).isEqualTo(5);
        assertThat(options.rate()).isEqualTo(1);
        assertThat(options.api()).isEqualTo("http://127.0.0.1:8080");
        assertThat(options.register()).isTrue();
        assertThat(options.faultDevice()).isNull();
        assertThat(options.duration()).isNull();
    }

    @Test
    void shouldReadEveryOptionWhenGiven() {
        SimulatorOptions options = SimulatorOptions.parse(
                "--mqtt",
                "3",
                "--coap",
                "2",
                "--rate",
                "0.5",
                "--gateway",
                "10.0.0.1",
                "--fault",
                "sim-mqtt-02",
                "--fault-after",
                "90s",
                "--fault-kind",
                "spikes",
                "--camera",
                "--duration",
                "PT2M",
                "--day",
                "10m");

        assertThat(options.mqtt()).isEqualTo(3);
        assertThat(options.rate()).isEqualTo(0.5);
        assertThat(options.api()).isEqualTo("http://10.0.0.1:8080");
        assertThat(options.faultAfter()).isEqualTo(Duration.ofSeconds(90));
        assertThat(options.faultKind()).isEqualTo(Fault.Kind.SPIKES);
        assertThat(options.camera()).isTrue();
        assertThat(options.duration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(options.day()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void shouldNameTheOptionWhenAValueIsBad() {
        assertThatThrownBy(() -> SimulatorOptions.parse("--rate", "fast")).hasMessageContaining("--rate");
        assertThatThrownBy(() -> SimulatorOptions.parse("--mqtt", "-1")).hasMessageContaining("--mqtt");
        assertThatThrownBy(() -> SimulatorOptions.parse("--colour", "red")).hasMessageContaining("--colour");
        assertThatThrownBy(() -> SimulatorOptions.parse("--fault-after", "soon"))
                .hasMessageContaining("--fault-after");
    }

    @Test
    void shouldRequireCredentialsWhenNotRegistering() {
        assertThatThrownBy(() -> SimulatorOptions.parse("--no-register", "--coap", "0"))
                .hasMessageContaining("--password");
    }

    @Test
    void shouldSpreadTheMqtt5ShareOverTheFleet() {
        // 21 sensors, half on v5: 10 or 11 of them, and the first four already mix both versions
        long v5 =
                IntStream.range(0, 21).filter(i -> SiteSimulator.mqtt5(i, 0.5)).count();
        assertThat(v5).isBetween(10L, 11L);
        assertThat(IntStream.range(0, 4)
                        .filter(i -> SiteSimulator.mqtt5(i, 0.5))
                        .count())
                .isEqualTo(2);
        assertThat(IntStream.range(0, 20)
                        .filter(i -> SiteSimulator.mqtt5(i, 0.0))
                        .count())
                .isZero();
        assertThat(IntStream.range(0, 20)
                        .filter(i -> SiteSimulator.mqtt5(i, 1.0))
                        .count())
                .isEqualTo(20);
    }
}

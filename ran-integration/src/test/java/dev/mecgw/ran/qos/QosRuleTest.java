package dev.mecgw.ran.qos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QosRuleTest {

    @Test
    void shouldPutTheUeAddressIntoTheFlowsWhenMakingADemand() {
        // given a rule for cameras
        QosRule rule = new QosRule(
                "video",
                "inference.detection",
                Optional.of("camera"),
                "qos-video",
                Duration.ofSeconds(60),
                List.of("permit out ip from any to {ue}", "permit out 17 from {ue} 5004 to any"));
        // when it makes a demand for a camera at 10.45.0.2
        QosDemand demand = rule.demandFor("cam-1", "10.45.0.2");
        // then the flows name that address, with the rule's profile and duration
        assertThat(demand.flowDescriptions())
                .containsExactly("permit out ip from any to 10.45.0.2", "permit out 17 from 10.45.0.2 5004 to any");
        assertThat(demand.qosReference()).isEqualTo("qos-video");
        assertThat(demand.duration()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void shouldApplyToItsDeviceTypeOnlyWhenOneIsGiven() {
        // given a typed and an untyped rule
        QosRule cameras = rule(Optional.of("camera"));
        QosRule any = rule(Optional.empty());
        // then the typed one skips other and unknown types
        assertThat(cameras.appliesTo("camera")).isTrue();
        assertThat(cameras.appliesTo("sensor")).isFalse();
        assertThat(cameras.appliesTo(null)).isFalse();
        assertThat(any.appliesTo(null)).isTrue();
    }

    @Test
    void shouldRejectTheRuleWhenItHasNoFlowsOrNoDuration() {
        assertThatThrownBy(() -> new QosRule("r", "k", Optional.empty(), "q", Duration.ofSeconds(1), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("flow");
        assertThatThrownBy(() -> new QosRule(
                        "r", "k", Optional.empty(), "q", Duration.ZERO, List.of("permit out ip from any to {ue}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duration");
    }

    private static QosRule rule(Optional<String> type) {
        return new QosRule(
                "r",
                "inference.detection",
                type,
                "qos-video",
                Duration.ofSeconds(1),
                List.of("permit out ip from any to {ue}"));
    }
}

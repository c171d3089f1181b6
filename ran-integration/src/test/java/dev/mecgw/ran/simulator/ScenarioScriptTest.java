package dev.mecgw.ran.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScenarioScriptTest {

    @Test
    void shouldParseTheDemoScenarioWhenItIsBundled() throws Exception {
        // given the bundled demo
        String text;
        try (InputStream in = SimulatorMain.class.getResourceAsStream("demo.scenario")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // when parsed / then every step is known
        assertThat(ScenarioScript.parse(text).steps())
                .extracting(ScenarioScript.Step::verb)
                .contains("attach", "move", "lose", "regain", "qos-refuse", "qos-grant", "wait");
    }

    @Test
    void shouldPlayStepsAgainstTheSimulatorWhenRun() throws Exception {
        // given a script without waits
        ScenarioScript script = ScenarioScript.parse("""
                attach 10.45.0.2 cam-1@site.example 1:000001 000000001   # camera
                move 10.45.0.2 000000002
                qos-refuse qos-uhd
                lose 10.45.0.2
                """);
        List<String> log = new ArrayList<>();
        try (NetworkSimulator simulator = NetworkSimulator.startLocal()) {
            // when played / then each step ran, in order
            script.play(simulator, log::add);
        }
        assertThat(log).hasSize(4).first().asString().startsWith("step 1: attach");
    }

    @Test
    void shouldNameTheLineWhenAStepIsMalformed() {
        // when a script has a bad step / then the error names its line
        assertThatThrownBy(() -> ScenarioScript.parse("wait 1s\nmove 10.45.0.2\n"))
                .hasMessageContaining("line 2")
                .hasMessageContaining("move takes 2");
        assertThatThrownBy(() -> ScenarioScript.parse("teleport x")).hasMessageContaining("unknown step");
        assertThatThrownBy(() -> ScenarioScript.parse("wait soon")).hasMessageContaining("not a duration");
    }
}

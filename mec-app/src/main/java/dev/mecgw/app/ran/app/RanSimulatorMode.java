package dev.mecgw.app.ran.app;

import dev.mecgw.app.ran.RanConfig;
import dev.mecgw.ran.simulator.NetworkSimulator;
import dev.mecgw.ran.simulator.ScenarioScript;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import org.jboss.logging.Logger;

/** Demo mode: starts the simulated 5G core and MEC platform on 127.0.0.1 and plays the configured scenario. */
final class RanSimulatorMode {

    private static final Logger LOG = Logger.getLogger(RanSimulatorMode.class);

    private RanSimulatorMode() {}

    static NetworkSimulator start(RanConfig config, ScheduledExecutorService scheduler) {
        NetworkSimulator simulator = NetworkSimulator.start(
                new InetSocketAddress("127.0.0.1", config.simulator().port()), Optional.empty());
        LOG.infof("network simulator listening on %s", simulator.baseUri());
        config.simulator().scenario().ifPresent(name -> {
            ScenarioScript script = ScenarioScript.parse(load(name));
            scheduler.execute(() -> {
                try {
                    script.play(simulator, line -> LOG.info("simulator " + line));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    LOG.warnf("simulator scenario stopped: %s", e.getMessage());
                }
            });
        });
        return simulator;
    }

    private static String load(String name) {
        try {
            if (name.equals("demo")) {
                try (InputStream in = ScenarioScript.class.getResourceAsStream("demo.scenario")) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            return Files.readString(Path.of(name));
        } catch (IOException e) {
            throw new IllegalArgumentException("mecgw.ran.simulator.scenario: cannot read " + name, e);
        }
    }
}

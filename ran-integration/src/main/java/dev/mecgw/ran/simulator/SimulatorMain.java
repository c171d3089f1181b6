package dev.mecgw.ran.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the simulator from the command line (demo mode):
 * {@code java -cp ran-integration.jar dev.mecgw.ran.simulator.SimulatorMain [--host H] [--port P]
 * [--token T] [--scenario demo|<file>]}. Prints the API root, plays the scenario, logs every exchange,
 * and serves until interrupted.
 */
public final class SimulatorMain {

    private SimulatorMain() {}

    /** Entry point; see the class comment for the arguments. */
    public static void main(String[] args) throws IOException, InterruptedException {
        String host = "127.0.0.1";
        int port = 8480;
        Optional<String> token = Optional.empty();
        String scenario = "demo";
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--host" -> host = args[i + 1];
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--token" -> token = Optional.of(args[i + 1]);
                case "--scenario" -> scenario = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        ScenarioScript script = ScenarioScript.parse(load(scenario));
        try (NetworkSimulator simulator = NetworkSimulator.start(new InetSocketAddress(host, port), token)) {
            simulator.onExchange(e -> System.out.printf(
                    "%-12s %s %s -> %d%n",
                    e.kind(), e.method(), e.uri().replaceAll("(/ran/callbacks/[^/]+/)[^/?]+", "$1***"), e.status()));
            System.out.println("network simulator: apiRoot " + simulator.baseUri());
            script.play(simulator, System.out::println);
            System.out.println("scenario done; serving until interrupted");
            new CountDownLatch(1).await();
        }
    }

    private static String load(String scenario) throws IOException {
        if (scenario.equals("demo")) {
            try (InputStream in = SimulatorMain.class.getResourceAsStream("demo.scenario")) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        return Files.readString(Path.of(scenario));
    }
}

package dev.mecgw.devices.app;

import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar mecgw-devices.jar --mqtt N --coap M --rate R …}: runs a simulated site against a gateway until
 * Ctrl-C, SIGTERM or {@code --duration}. Exit codes: 0 stopped normally, 1 start failed (registration refused,
 * gateway unreachable), 2 bad usage.
 */
public final class DevicesMain {

    private DevicesMain() {}

    public static void main(String[] args) throws InterruptedException {
        System.setProperty("java.awt.headless", "true");
        SimulatorOptions options;
        try {
            options = SimulatorOptions.parse(args);
        } catch (IllegalArgumentException e) {
            if (!"help".equals(e.getMessage())) {
                System.err.println("error: " + e.getMessage());
            }
            System.err.print(SimulatorOptions.USAGE);
            System.exit(2);
            return;
        }
        SiteSimulator site = new SiteSimulator(options, Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            site.close();
            stopped.countDown();
        }));
        try {
            site.start();
        } catch (Exception e) {
            System.err.println("error: devices not started: " + e.getMessage());
            System.exit(1);
        }
        if (options.duration() != null) {
            if (!stopped.await(options.duration().toMillis(), TimeUnit.MILLISECONDS)) {
                System.exit(0);
            }
        } else {
            stopped.await();
        }
    }
}

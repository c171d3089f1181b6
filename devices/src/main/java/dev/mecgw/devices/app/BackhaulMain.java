package dev.mecgw.devices.app;

import dev.mecgw.devices.backhaul.BackhaulLink;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -cp mecgw-devices.jar dev.mecgw.devices.app.BackhaulMain --listen P --upstream HOST:PORT
 * [--cut-file F]}: a site's backhaul as a cuttable TCP link on 127.0.0.1:P. While the file F exists the link is cut
 * (open connections dropped, new ones refused); removing it restores the link. {@code scripts/demo.sh} puts it
 * between the gateway and the cloud Kafka's edge listener. Runs until SIGTERM or Ctrl-C. Exit codes: 1 the port
 * cannot be bound, 2 bad usage.
 */
public final class BackhaulMain {

    static final String USAGE = "usage: java -cp mecgw-devices.jar " + BackhaulMain.class.getName()
            + " --listen PORT --upstream HOST:PORT [--cut-file FILE]\n";

    /** How often the cut file is looked at: well under the demo's summary period. */
    private static final long POLL_MS = 250;

    private BackhaulMain() {}

    public static void main(String[] args) throws InterruptedException {
        Integer listen = null;
        InetSocketAddress upstream = null;
        Path cutFile = null;
        try {
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                switch (args[i]) {
                    case "--listen" -> listen = Integer.parseInt(args[i + 1]);
                    case "--upstream" -> upstream = address(args[i + 1]);
                    case "--cut-file" -> cutFile = Path.of(args[i + 1]);
                    default -> throw new IllegalArgumentException("unknown option: " + args[i]);
                }
            }
            if (listen == null || upstream == null) {
                throw new IllegalArgumentException("--listen and --upstream are required");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        BackhaulLink link;
        try {
            link = BackhaulLink.open(listen, upstream);
        } catch (IOException e) {
            System.err.println("error: cannot listen on 127.0.0.1:" + listen + ": " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            link.close();
            stopped.countDown();
        }));
        System.out.printf("backhaul link up: 127.0.0.1:%d -> %s%n", link.port(), address(upstream));
        while (!stopped.await(POLL_MS, TimeUnit.MILLISECONDS)) {
            boolean wanted = cutFile != null && Files.exists(cutFile);
            if (wanted != link.isCut()) {
                if (wanted) {
                    link.cut();
                } else {
                    link.restore();
                }
                System.out.printf(
                        "%s backhaul %s (%d bytes up, %d down so far)%n",
                        Instant.now(), wanted ? "cut" : "restored", link.bytesUp(), link.bytesDown());
            }
        }
    }

    private static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--upstream needs HOST:PORT, got " + hostPort);
        }
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    private static String address(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }
}

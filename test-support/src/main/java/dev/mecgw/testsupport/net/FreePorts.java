package dev.mecgw.testsupport.net;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports that are free now, for a process the test starts and that binds them seconds later (a JVM's start).
 * They come from below the kernel's ephemeral range: a port the kernel hands out for a bind to 0 is also what it hands
 * every outgoing connection, and in those seconds one of the machine's many connections took such a port once (a
 * loaded CI run with two suites side by side: the cloud's Kafka "Address already in use"). Below that range only
 * another explicit pick can take it.
 */
public final class FreePorts {

    private static final int LOWEST = 10_000;
    /** Read once: the range is the machine's, and a caller may ask for several ports in a row. */
    private static final int EPHEMERAL_LOW = ephemeralLow();

    private FreePorts() {}

    /**
     * The low end of the kernel's ephemeral range (32768 where it cannot be read): a port a process is told to bind
     * later must lie below it (the demo's ports are checked against it).
     */
    public static int ephemeralRangeStart() {
        return EPHEMERAL_LOW;
    }

    /** A TCP port on the loopback address, free now. */
    public static int tcp() throws IOException {
        return pick(port -> {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
                return socket.getLocalPort();
            }
        });
    }

    /**
     * {@code count} different TCP ports on the loopback address, free now: picks one at a time would not do, as a
     * port closed after its probe may be picked again (two listeners of one embedded Kafka once got the same port).
     */
    public static int[] tcp(int count) throws IOException {
        Set<Integer> ports = new LinkedHashSet<>();
        while (ports.size() < count) {
            ports.add(tcp());
        }
        return ports.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A UDP port on the loopback address, free now. */
    public static int udp() throws IOException {
        return pick(port -> {
            try (DatagramSocket socket =
                    new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                return socket.getLocalPort();
            }
        });
    }

    private interface Probe {
        /** Binds {@code port} of its kind (0: the kernel's pick) and releases it; returns the port bound. */
        int bind(int port) throws IOException;
    }

    private static int pick(Probe probe) throws IOException {
        int low = EPHEMERAL_LOW;
        if (low - LOWEST < 1_000) {
            // The range leaves no room below it: the kernel's pick of the probe's own kind (a UDP port for udp()).
            return probe.bind(0);
        }
        IOException last = null;
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = LOWEST + ThreadLocalRandom.current().nextInt(low - LOWEST);
            try {
                return probe.bind(port);
            } catch (IOException taken) {
                last = taken;
            }
        }
        throw new IOException("no free port below " + low + " in 200 tries", last);
    }

    /** The low end of the kernel's ephemeral port range (Linux), 32768 when it cannot be read. */
    private static int ephemeralLow() {
        try {
            // A line reader: Files.readString trusts the size procfs reports and returned "3" of "32768\t60999".
            String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                    .get(0)
                    .strip();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}

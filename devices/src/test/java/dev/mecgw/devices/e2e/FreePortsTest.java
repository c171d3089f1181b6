package dev.mecgw.devices.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.testsupport.net.FreePorts;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The ports the e2e ITs give the apps they start come from below the kernel's ephemeral range, and are free. */
class FreePortsTest {

    @Test
    void shouldPickFreePortsBelowTheEphemeralRange() throws IOException {
        int low = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                .get(0)
                .strip()
                .split("\\s+")[0]);
        for (int i = 0; i < 20; i++) {
            int tcp = FreePorts.tcp();
            int udp = FreePorts.udp();
            assertThat(tcp).isBetween(10_000, low - 1);
            assertThat(udp).isBetween(10_000, low - 1);
            try (ServerSocket socket = new ServerSocket();
                    DatagramSocket datagram =
                            new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), udp))) {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), tcp));
                assertThat(datagram.getLocalPort()).isEqualTo(udp);
            }
        }
    }

    @Test
    void shouldPickDifferentPortsWhenAskedForSeveral() throws IOException {
        for (int i = 0; i < 50; i++) {
            int[] ports = FreePorts.tcp(3);
            assertThat(ports).hasSize(3).doesNotHaveDuplicates();
        }
    }
}

package dev.mecgw.devices.backhaul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cuttable backhaul in front of a real echo server on loopback. */
class BackhaulLinkTest {

    private ServerSocket echo;
    private BackhaulLink link;

    @BeforeEach
    void startEchoServerAndLink() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::echoLoop, "echo");
        acceptor.setDaemon(true);
        acceptor.start();
        link = BackhaulLink.open(0, new InetSocketAddress(InetAddress.getLoopbackAddress(), echo.getLocalPort()));
    }

    @AfterEach
    void stop() throws IOException {
        link.close();
        echo.close();
    }

    @Test
    void shouldCarryBytesBothWaysWhenTheLinkIsUp() throws IOException {
        // given
        try (Socket client = givenAConnection()) {
            // when
            String answer = roundTrip(client, "hello");

            // then
            assertThat(answer).isEqualTo("hello");
            await().atMost(Duration.ofSeconds(30)).until(() -> link.bytesUp() == 5 && link.bytesDown() == 5);
        }
    }

    @Test
    void shouldDropOpenConnectionsAndRefuseNewOnesWhenCutAndCarryAgainWhenRestored() throws IOException {
        // given an open connection that works
        try (Socket before = givenAConnection()) {
            assertThat(roundTrip(before, "a")).isEqualTo("a");

            // when the link is cut
            link.cut();

            // then the open connection is gone and a new one is closed without reaching the upstream
            assertThat(link.isCut()).isTrue();
            assertThat(readOrEnd(before)).isNegative();
            try (Socket during = givenAConnection()) {
                assertThat(readOrEnd(during)).isNegative();
            }
        }

        // and when it is restored, new connections carry again
        link.restore();
        try (Socket after = givenAConnection()) {
            assertThat(roundTrip(after, "c")).isEqualTo("c");
        }
    }

    private Socket givenAConnection() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), link.port());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static String roundTrip(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes());
        byte[] answer = socket.getInputStream().readNBytes(text.length());
        return new String(answer);
    }

    /** @return the next byte, or -1 when the connection ended (closed or reset) */
    private static int readOrEnd(Socket socket) {
        try {
            return socket.getInputStream().read();
        } catch (IOException e) {
            return -1;
        }
    }

    private void echoLoop() {
        while (!echo.isClosed()) {
            try {
                Socket socket = echo.accept();
                Thread thread = new Thread(() -> {
                    try (socket;
                            InputStream in = socket.getInputStream();
                            OutputStream out = socket.getOutputStream()) {
                        in.transferTo(out);
                    } catch (IOException e) {
                        // the link dropped it
                    }
                });
                thread.setDaemon(true);
                thread.start();
            } catch (IOException e) {
                return;
            }
        }
    }
}

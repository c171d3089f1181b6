package dev.mecgw.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 15, items 10 and 12 against the packaged jar: a device with a SIM cannot skip the SIM identity check by
 * connecting from outside every UE pool ({@code require-network-identity}, on by default), and plain HTTP answers
 * only the configured sources. The {@link WellBehavedDevices} keep publishing throughout. Item 12's packaging parts
 * (the role's rendered setting, nftables, first-boot shredding, {@code no_log}) are checked by
 * {@code ansible/test/http-exposure.sh} and {@code ansible/test/lint.sh}, the camera-id sanitizer by
 * {@code CameraFilesTest}.
 */
@ExtendWith(AbuseGateway.Shared.class)
class ExposureAbuseIT {

    private static AbuseGateway gateway;

    @BeforeAll
    static void givenTheGateway(AbuseGateway shared) {
        gateway = shared;
    }

    @Test
    void shouldRefuseASimDeviceFromOutsideTheUePoolsButNotADeviceWithoutSim() throws Exception {
        // given (item 10): a sensor with a SIM and one without; loopback is outside the site's UE pool
        long before = gateway.rssKib();
        String withSim = gateway.givenDevice("sim", "sensor", ",\"sim\":{\"gpsi\":\"extid-sim@site.example\"}");
        String withoutSim = gateway.givenDevice("no-sim", "sensor");
        try (WellBehavedDevices good = new WellBehavedDevices(gateway, "identity")) {
            // when both connect from outside every UE pool
            Throwable refused = catchThrowable(() -> connect(withSim));
            Mqtt5BlockingClient admitted = connect(withoutSim);
            // then the one with a SIM is not authorized, with an event naming the rule; the other is admitted
            assertThat(refused).isInstanceOf(Mqtt5ConnAckException.class);
            assertThat(((Mqtt5ConnAckException) refused).getMqttMessage().getReasonCode())
                    .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
            assertThat(admitted.getState().isConnected()).isTrue();
            admitted.disconnect();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> gateway.events(withSim, "ran.identity.rejected").stream()
                            .anyMatch(payload -> payload.contains("NETWORK_IDENTITY_REQUIRED")));
            good.finish();
        }
        gateway.report("SIM device off-pool", before);
    }

    @Test
    void shouldAnswerPlainHttpToTheConfiguredSourceOnly() throws Exception {
        // given (item 12): plain HTTP served to 127.0.0.1 only (the appliance: loopback)
        long before = gateway.rssKib();
        try (WellBehavedDevices good = new WellBehavedDevices(gateway, "http")) {
            // when another host asks for the device list, with the admin token
            String refused = exchange("127.0.0.2");
            String served = exchange("127.0.0.1");
            // then it gets 403 problem+json before any route runs; loopback is served
            assertThat(refused).startsWith("HTTP/1.1 403").contains("application/problem+json");
            assertThat(served).startsWith("HTTP/1.1 200");
            good.finish();
        }
        gateway.report("plain HTTP from another source", before);
    }

    private static Mqtt5BlockingClient connect(String device) {
        Mqtt5BlockingClient client = gateway.mqtt5From("127.0.0.1", device);
        client.connectWith()
                .simpleAuth()
                .username(device)
                .password(AbuseGateway.PASSWORD.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send();
        return client;
    }

    /** GET /api/v1/devices over a socket bound to {@code from}; the whole response as text. */
    private static String exchange(String from) throws Exception {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", gateway.process().httpPort()), 5_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/v1/devices HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer " + AbuseGateway.TOKEN
                            + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            try (InputStream in = socket.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            }
        }
    }
}

package dev.mecgw.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mecgw.app.coap.RawCoapEndpoints;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.californium.core.coap.BlockOption;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.network.Endpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 15, items 1 and 5 against the packaged jar: unauthenticated CoAP senders on the plain UDP port (open in
 * this suite, the worst case) cannot make the gateway reserve Block1 buffers or peer-table entries beyond the
 * per-address budgets, while the {@link WellBehavedDevices} keep publishing.
 */
@ExtendWith(AbuseGateway.Shared.class)
class CoapAbuseIT {

    private static AbuseGateway gateway;

    @BeforeAll
    static void givenTheGateway(AbuseGateway shared) {
        gateway = shared;
    }

    @Test
    void shouldBoundBlock1StateWhenOneHostStartsTenThousandTransfers() throws Exception {
        // given (item 1): well-behaved devices keep publishing
        long before = gateway.rssKib();
        double refused = gateway.metric("mecgw_coap_block1_refused_total{reason=\"over-budget\"");
        try (WellBehavedDevices good = new WellBehavedDevices(gateway, "block1")) {
            // when 10,000 one-kilobyte first blocks to different URIs arrive from one host, never finished
            Endpoint attacker = RawCoapEndpoints.bound("127.0.0.2");
            try {
                for (int i = 0; i < 10_000; i++) {
                    Request block = Request.newPost();
                    block.setConfirmable(false);
                    block.setURI("coap://127.0.0.1:" + gateway.coapPort() + "/telemetry/x-" + i);
                    block.getOptions().setBlock1(BlockOption.size2Szx(1024), true, 0);
                    block.setPayload(new byte[1024]);
                    block.send(attacker);
                }
                // then the refusals show, the reservation stays within the address's share (8 MiB)
                await("Block1 transfers refused over budget")
                        .atMost(Duration.ofSeconds(30))
                        .until(() ->
                                gateway.metric("mecgw_coap_block1_refused_total{reason=\"over-budget\"") > refused);
                assertThat(gateway.metric("mecgw_coap_block1_reserved_bytes")).isLessThanOrEqualTo(8 << 20);
            } finally {
                attacker.destroy();
            }
            good.finish();
        }
        gateway.report("block1 (10,000 transfers from one host)", before);
    }

    @Test
    void shouldLimitPeersOfOneHostWhenItCyclesSourcePorts() throws Exception {
        // given (item 5): well-behaved devices keep publishing
        long before = gateway.rssKib();
        double refused = gateway.metric("mecgw_coap_peers_refused_total{reason=\"per-address-limit\"");
        try (WellBehavedDevices good = new WellBehavedDevices(gateway, "ports")) {
            // when one host opens 1,000 source ports and sends one CoAP discovery request from each
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", gateway.coapPort());
            for (int i = 0; i < 1000; i++) {
                try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.3", 0))) {
                    byte[] discovery = discovery(i);
                    socket.send(new DatagramPacket(discovery, discovery.length, target));
                }
            }
            // then past 64 ports the host is refused a place in the peer table
            await("peers refused for the per-address limit")
                    .atMost(Duration.ofSeconds(30))
                    .until(() ->
                            gateway.metric("mecgw_coap_peers_refused_total{reason=\"per-address-limit\"") > refused);
            assertThat(gateway.metric("mecgw_coap_peers")).isLessThanOrEqualTo(64 + 4);
            good.finish();
        }
        gateway.report("peer table (1,000 source ports of one host)", before);
    }

    /** NON GET /.well-known/core (RFC 7252 section 3), message id {@code mid}. */
    private static byte[] discovery(int mid) {
        byte[] path = ".well-known".getBytes(StandardCharsets.US_ASCII);
        byte[] core = "core".getBytes(StandardCharsets.US_ASCII);
        byte[] message = new byte[4 + 1 + path.length + 1 + core.length];
        message[0] = 0x50;
        message[1] = 0x01;
        message[2] = (byte) (mid >> 8);
        message[3] = (byte) mid;
        message[4] = (byte) 0xBB;
        System.arraycopy(path, 0, message, 5, path.length);
        message[5 + path.length] = 0x04;
        System.arraycopy(core, 0, message, 6 + path.length, core.length);
        return message;
    }
}

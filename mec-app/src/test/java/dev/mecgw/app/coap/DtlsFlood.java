package dev.mecgw.app.coap;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.network.Endpoint;

/**
 * Test fixture for handshake floods against a DTLS port: raw DTLS 1.2 ClientHellos without a cookie (what a
 * spoofing flooder can send) and complete handshakes by Scandium clients holding a wrong key.
 */
final class DtlsFlood {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration ATTACKER_RETRY = Duration.ofMillis(500);

    /** What the raw ClientHellos of one socket got back. */
    record HelloResult(int sent, int answered, long bytesSent, long bytesReceived, int largestAnswer) {}

    private DtlsFlood() {}

    /**
     * Sends ClientHellos one after the other from one fresh socket (one fake peer), waiting up to 2 s for
     * each answer.
     */
    static HelloResult helloFromOneSocket(InetSocketAddress server, int hellos) throws IOException {
        int answered = 0;
        long bytesSent = 0;
        long bytesReceived = 0;
        int largest = 0;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(2_000);
            byte[] in = new byte[2048];
            for (int i = 0; i < hellos; i++) {
                byte[] hello = clientHello(i);
                socket.send(new DatagramPacket(hello, hello.length, server));
                bytesSent += hello.length;
                DatagramPacket answer = new DatagramPacket(in, in.length);
                try {
                    socket.receive(answer);
                    answered++;
                    bytesReceived += answer.getLength();
                    largest = Math.max(largest, answer.getLength());
                } catch (SocketTimeoutException e) {
                    // unanswered: counted by the caller as sent minus answered
                }
            }
        }
        return new HelloResult(hellos, answered, bytesSent, bytesReceived, largest);
    }

    /**
     * Runs complete PSK handshakes with a wrong key and posts after each; counts the 2.04s (there must be
     * none).
     */
    static void badKeyClient(InetSocketAddress server, String identity, int attempts, AtomicLong accepted) {
        for (int i = 0; i < attempts; i++) {
            byte[] key = new byte[16];
            RANDOM.nextBytes(key);
            // an attacker's timers: one quick retransmission, since its handshakes are meant to fail
            Endpoint endpoint = CoapTestDevices.pskEndpoint(
                    identity, key, CoapTestDevices.dtlsClientConfiguration(1, ATTACKER_RETRY));
            try {
                CoapClient client = CoapTestDevices.dtlsClient(endpoint, server, "/telemetry", 3_000L);
                CoapResponse response = client.post("{\"intruder\":1}", MediaTypeRegistry.APPLICATION_JSON);
                if (response != null && response.getCode() == ResponseCode.CHANGED) {
                    accepted.incrementAndGet();
                }
            } catch (Exception e) {
                // the handshake failure this fixture provokes
            } finally {
                endpoint.destroy();
            }
        }
    }

    /**
     * A legitimate device's DTLS PSK client endpoint, with the handshake retransmissions of
     * {@link CoapTestDevices#dtlsClientConfiguration()}, so that it outlasts a server still busy with a flood.
     */
    static Endpoint pskEndpoint(String identity, byte[] key) {
        return CoapTestDevices.pskEndpoint(identity, key, CoapTestDevices.dtlsClientConfiguration());
    }

    /**
     * A DTLS 1.2 ClientHello record (RFC 6347 section 4.2.2) offering TLS_PSK_WITH_AES_128_GCM_SHA256, with
     * an empty cookie, so that the server must answer with a HelloVerifyRequest before keeping any state.
     */
    static byte[] clientHello(int sequence) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        ByteBuffer body = ByteBuffer.allocate(42);
        body.put((byte) 0xFE).put((byte) 0xFD).put(random);
        body.put((byte) 0).put((byte) 0);
        body.putShort((short) 2).putShort((short) 0x00A8);
        body.put((byte) 1).put((byte) 0);
        ByteBuffer record = ByteBuffer.allocate(13 + 12 + 42);
        record.put((byte) 22).put((byte) 0xFE).put((byte) 0xFD).putShort((short) 0);
        record.putShort((short) 0).putInt(sequence);
        record.putShort((short) (12 + 42));
        record.put((byte) 1).put(uint24(42)).putShort((short) 0).put(uint24(0)).put(uint24(42));
        record.put(body.array());
        return record.array();
    }

    private static byte[] uint24(int value) {
        return new byte[] {(byte) (value >> 16), (byte) (value >> 8), (byte) value};
    }
}

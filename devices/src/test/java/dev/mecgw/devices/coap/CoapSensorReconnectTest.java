package dev.mecgw.devices.coap;

import static org.awaitility.Awaitility.await;

import dev.mecgw.devices.SensorFeed;
import dev.mecgw.devices.signal.Fault;
import dev.mecgw.devices.signal.SensorSignal;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 18 (kill -9 fleet test): a CoAP sensor outlasts its gateway's restart as a real device does. A DTLS server on
 * a port chosen per test is destroyed (every DTLS session forgotten) and a new one started on the same port; the
 * sensor handshakes again and its readings resume.
 */
class CoapSensorReconnectTest {

    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final String ID = "sensor-coap-1";
    private static final byte[] PSK = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final Map<String, AtomicInteger> readings = new ConcurrentHashMap<>();
    private InetSocketAddress address;
    private CoapServer server;
    private CoapSensor sensor;

    @BeforeEach
    void givenAFreePort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            address = new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
        }
    }

    @AfterEach
    void stop() {
        if (sensor != null) {
            sensor.close();
        }
        if (server != null) {
            server.destroy();
        }
        scheduler.shutdownNow();
    }

    @Test
    void shouldSendReadingsAgainWhenItsGatewayRestartsOnTheSamePort() {
        // Given a sensor sending to a running gateway
        startServer("first");
        SensorSignal signal = new SensorSignal(21.0, 2.0, 0.2, Duration.ofHours(24), 0, Fault.NONE, 1);
        sensor = new CoapSensor(
                address,
                ID,
                PSK,
                new SensorFeed("temperature", signal, Duration.ofMillis(200), scheduler, Clock.systemUTC()));
        sensor.start();
        await().atMost(WAIT).until(() -> count("first") >= 3);

        // When the gateway goes away (its DTLS sessions with it) while the sensor keeps trying, and comes back
        server.destroy();
        long failed = sensor.counters().failed.get();
        await().atMost(WAIT).until(() -> sensor.counters().failed.get() >= failed + 2);
        startServer("second");

        // Then the sensor handshakes again and its readings resume
        long acknowledged = sensor.counters().acknowledged.get();
        await().atMost(WAIT).until(() -> count("second") >= 3);
        await().atMost(WAIT).until(() -> sensor.counters().acknowledged.get() >= acknowledged + 3);
    }

    private int count(String life) {
        return readings.computeIfAbsent(life, l -> new AtomicInteger()).get();
    }

    private void startServer(String life) {
        Configuration config = Configuration.createStandardWithoutFile();
        config.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.SERVER_ONLY);
        config.set(DtlsConfig.DTLS_USE_HELLO_VERIFY_REQUEST, true);
        DtlsConnectorConfig dtls = DtlsConnectorConfig.builder(config)
                .setAddress(address)
                .setAdvancedPskStore(new AdvancedSinglePskStore(ID, PSK))
                .build();
        server = new CoapServer(config);
        server.addEndpoint(CoapEndpoint.builder()
                .setConfiguration(config)
                .setConnector(new DTLSConnector(dtls))
                .build());
        server.add(new CoapResource("telemetry") {
            @Override
            public void handlePOST(CoapExchange exchange) {
                readings.computeIfAbsent(life, l -> new AtomicInteger()).incrementAndGet();
                exchange.respond(ResponseCode.CHANGED);
            }
        });
        server.start();
    }
}

package dev.mecgw.devices.coap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.devices.CommandReply;
import dev.mecgw.devices.DeviceCounters;
import dev.mecgw.devices.SensorFeed;
import dev.mecgw.devices.SimulatedDevice;
import dev.mecgw.devices.firmware.CoapBlockFetcher;
import dev.mecgw.devices.firmware.DownloadRetry;
import dev.mecgw.devices.firmware.FirmwareAgent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapHandler;
import org.eclipse.californium.core.CoapObserveRelation;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.BlockOption;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.exception.ConnectorException;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;

/**
 * A sensor on CoAP over DTLS 1.2 with a pre-shared key (identity = device id): {@code POST /telemetry} with JSON
 * {@code {"<metric>":v,"ts":epochMillis}} as confirmable requests, Observe on {@code /commands}, and each new
 * command answered with {@code POST /commands} carrying its id. A reading counts as acknowledged on 2.04 (the
 * gateway committed it). The observation is re-established after a failure.
 */
public final class CoapSensor implements SimulatedDevice {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REOBSERVE = Duration.ofSeconds(5);
    private static final DownloadRetry DOWNLOAD_RETRY =
            new DownloadRetry(30, Duration.ofSeconds(1), Duration.ofSeconds(10));
    /** A firmware report unanswered is sent again after this, up to {@link #REPORT_ATTEMPTS} times. */
    private static final Duration REPORT_RETRY = Duration.ofSeconds(2);

    private static final int REPORT_ATTEMPTS = 60;
    /**
     * No answer for this long: the gateway has lost this device's DTLS session (it restarted), so the session is
     * dropped and the next request starts a full handshake (issue 18.3, kill -9 test).
     */
    private static final Duration FORGET_SESSION = Duration.ofSeconds(15);

    private final String id;
    private final SensorFeed feed;
    private final String root;
    private final Endpoint endpoint;
    private final DTLSConnector dtls;
    private final DeviceCounters counters = new DeviceCounters();
    private final Set<String> seenCommands = new LinkedHashSet<>();
    private volatile CoapObserveRelation observation;
    private volatile Instant lastObserve = Instant.EPOCH;
    private volatile FirmwareAgent firmware;
    private volatile CoapObserveRelation desiredObservation;
    private volatile Instant lastDesiredObserve = Instant.EPOCH;
    private volatile Instant lastAnswer = Instant.EPOCH;
    private volatile Instant lastForget = Instant.EPOCH;
    private ScheduledFuture<?> ticks;

    /**
     * @param gateway the gateway's CoAPS (DTLS) address
     * @param id device id = PSK identity
     * @param psk the registered pre-shared key
     * @param feed what to send and when
     */
    public CoapSensor(InetSocketAddress gateway, String id, byte[] psk, SensorFeed feed) {
        this.id = id;
        this.feed = feed;
        this.root = "coaps://" + gateway.getHostString() + ":" + gateway.getPort();
        Configuration config = Configuration.createStandardWithoutFile();
        config.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY);
        config.set(DtlsConfig.DTLS_RECEIVER_THREAD_COUNT, 1);
        config.set(DtlsConfig.DTLS_CONNECTOR_THREAD_COUNT, 1);
        config.set(DtlsConfig.DTLS_MAX_RETRANSMISSIONS, 3);
        config.set(DtlsConfig.DTLS_RETRANSMISSION_TIMEOUT, 1000, TimeUnit.MILLISECONDS);
        // Firmware is fetched one block per request (issue 18, bench/ota and the fleet link-cut test): no
        // transparent blockwise transfer, which fetched a whole image in one exchange and lost all of it on a cut;
        // a twin document longer than one block is fetched the same way when its notification says more follows.
        CoapBlockFetcher.configure(config);
        // Nothing heard for a while: handshake again before sending, as a real device does, so that a gateway that
        // restarted (and forgot every DTLS session) hears from its devices again (issue 18.3, kill -9 test).
        config.set(DtlsConfig.DTLS_AUTO_HANDSHAKE_TIMEOUT, 15, TimeUnit.SECONDS);
        this.dtls = new DTLSConnector(DtlsConnectorConfig.builder(config)
                .setAddress(new InetSocketAddress(gateway.getAddress(), 0))
                .setAdvancedPskStore(new AdvancedSinglePskStore(id, psk))
                .build());
        dtls.setExecutor(CoapThreads.DTLS);
        CoapEndpoint coap = CoapEndpoint.builder()
                .setConfiguration(config)
                .setConnector(dtls)
                .build();
        // One JVM simulates up to 1,000 sensors (bench/ota): they share their threads (CoapThreads).
        coap.setExecutors(CoapThreads.PROTOCOL, CoapThreads.SECONDARY);
        this.endpoint = coap;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String protocol() {
        return "coaps";
    }

    @Override
    public DeviceCounters counters() {
        return counters;
    }

    /**
     * Runs the firmware object (issue 18, docs/ota.md): Observe on {@code /twin/desired}, the image fetched over
     * Block2 one block per request (a lost link resumes at the first missing block), progress PUT to
     * {@code /twin/reported}. Call before {@link #start()}.
     *
     * @param publicKey the site's firmware signing key (Base64 SubjectPublicKeyInfo)
     * @param initialVersion the firmware version the device runs at start
     * @param blockSize Block2 size asked for, 16 to 1024
     * @return the agent, for failure modes and the running version
     */
    public FirmwareAgent enableFirmware(String publicKey, String initialVersion, int blockSize) {
        CoapBlockFetcher fetcher =
                new CoapBlockFetcher(this::client, blockSize, DOWNLOAD_RETRY, counters.firmwareBytes);
        firmware = new FirmwareAgent(initialVersion, publicKey, fetcher, reported -> reportFirmware(reported));
        return firmware;
    }

    /**
     * One report at a time, waiting for the gateway's answer: separate CoAP requests may be handled in any order, and
     * a "downloaded" merged after the later "updating" and result would leave the device stuck at downloaded in the
     * rollout's view. A report that gets no answer (link cut, gateway restarting) is sent again, for a few minutes,
     * as the gateway has no other way to learn the device's state (issue 18.3). The agent reports from its own
     * thread, so waiting here blocks no protocol thread.
     */
    private void reportFirmware(JsonNode reported) {
        for (int attempt = 1; attempt <= REPORT_ATTEMPTS; attempt++) {
            try {
                CoapResponse response =
                        client("/twin/reported").put(reported.toString(), MediaTypeRegistry.APPLICATION_JSON);
                if (response != null && response.getCode().codeClass != 5) {
                    return;
                }
            } catch (ConnectorException | IOException e) {
                // no answer: try again below
            }
            try {
                Thread.sleep(REPORT_RETRY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void start() {
        try {
            endpoint.start();
        } catch (IOException e) {
            counters.connectFailures.incrementAndGet();
            return;
        }
        lastAnswer = feed.clock().instant();
        ticks = feed.every(this::tick);
    }

    private void tick() {
        forgetSessionIfUnanswered(feed.clock().instant());
        observeIfNeeded(feed.clock().instant());
        FirmwareAgent agent = firmware;
        if (agent != null) {
            observeDesiredIfNeeded(agent, feed.clock().instant());
            if (agent.silenced()) {
                return;
            }
        }
        counters.sent.incrementAndGet();
        client("/telemetry")
                .post(
                        new CoapHandler() {
                            @Override
                            public void onLoad(CoapResponse response) {
                                lastAnswer = feed.clock().instant();
                                boolean ok = response.isSuccess();
                                counters.online.set(ok || response.getCode().codeClass != 5);
                                (ok ? counters.acknowledged : counters.failed).incrementAndGet();
                            }

                            @Override
                            public void onError() {
                                counters.online.set(false);
                                counters.failed.incrementAndGet();
                            }
                        },
                        feed.nextReading(),
                        MediaTypeRegistry.APPLICATION_JSON);
    }

    /**
     * A gateway killed and started again knows none of its devices' DTLS sessions and drops their records without
     * a word; Scandium's auto handshake only resumes the old session, which the restarted gateway cannot. So after
     * {@link #FORGET_SESSION} without an answer the session is forgotten and the next request handshakes afresh, as
     * a real device does after its requests went unanswered.
     */
    private void forgetSessionIfUnanswered(Instant now) {
        Instant last = lastAnswer.isAfter(lastForget) ? lastAnswer : lastForget;
        if (now.isAfter(last.plus(FORGET_SESSION))) {
            lastForget = now;
            dtls.clearConnectionState();
        }
    }

    private void observeIfNeeded(Instant now) {
        CoapObserveRelation current = observation;
        if ((current != null && !current.isCanceled()) || now.isBefore(lastObserve.plus(REOBSERVE))) {
            return;
        }
        lastObserve = now;
        observation = client(CommandReply.COAP_PATH).observe(new CoapHandler() {
            @Override
            public void onLoad(CoapResponse response) {
                onCommand(response.getPayload());
            }

            @Override
            public void onError() {
                CoapObserveRelation failed = observation;
                if (failed != null) {
                    failed.proactiveCancel();
                }
            }
        });
    }

    private void observeDesiredIfNeeded(FirmwareAgent agent, Instant now) {
        CoapObserveRelation current = desiredObservation;
        if ((current != null && !current.isCanceled()) || now.isBefore(lastDesiredObserve.plus(REOBSERVE))) {
            return;
        }
        lastDesiredObserve = now;
        desiredObservation = client("/twin/desired").observe(new CoapHandler() {
            @Override
            public void onLoad(CoapResponse response) {
                byte[] payload = response.getPayload();
                if (!response.isSuccess() || payload == null || payload.length == 0) {
                    return;
                }
                BlockOption block2 = response.getOptions().getBlock2();
                if (block2 != null && block2.isM()) {
                    // Only the first block came: fetch the document block by block, off the protocol thread.
                    CompletableFuture.runAsync(() -> desired(
                            agent,
                            uri -> new CoapBlockFetcher(
                                            CoapSensor.this::client, block2.getSize(), DOWNLOAD_RETRY, new AtomicLong())
                                    .fetch(uri)));
                    return;
                }
                desired(agent, uri -> payload);
            }

            @Override
            public void onError() {
                CoapObserveRelation failed = desiredObservation;
                if (failed != null) {
                    failed.proactiveCancel();
                }
            }
        });
    }

    private static void desired(FirmwareAgent agent, FirmwareAgent.Fetcher document) {
        try {
            agent.onDesiredAsync(JSON.readTree(document.fetch("/twin/desired")));
        } catch (IOException e) {
            // Not JSON, or not fetched: the next notification brings the document again.
        }
    }

    private void onCommand(byte[] payload) {
        if (payload == null || payload.length == 0) {
            return;
        }
        JsonNode command;
        try {
            command = JSON.readTree(payload);
        } catch (IOException e) {
            return;
        }
        String commandId = command.path("id").asText("");
        String name = command.path("name").asText("");
        // A re-established observation delivers the latest command again: answer each id once (the gateway
        // refuses a response without one).
        synchronized (seenCommands) {
            if (name.isEmpty() || commandId.isEmpty() || !seenCommands.add(commandId)) {
                return;
            }
            if (seenCommands.size() > 256) {
                seenCommands.remove(seenCommands.iterator().next());
            }
        }
        counters.commands.incrementAndGet();
        client(CommandReply.COAP_PATH)
                .post(
                        new CoapHandler() {
                            @Override
                            public void onLoad(CoapResponse response) {
                                if (response.isSuccess()) {
                                    counters.responses.incrementAndGet();
                                }
                            }

                            @Override
                            public void onError() {
                                // Counted as not answered; the gateway sees the command unacknowledged.
                            }
                        },
                        CommandReply.response(
                                name,
                                Optional.of(commandId),
                                payload,
                                feed.clock().instant()),
                        MediaTypeRegistry.APPLICATION_JSON);
    }

    private CoapClient client(String path) {
        CoapClient client = new CoapClient(root + path);
        client.setEndpoint(endpoint);
        // Shared and detached: a client is made per request and never shut down (CoapThreads).
        client.setExecutors(CoapThreads.PROTOCOL, CoapThreads.SECONDARY, true);
        client.setTimeout(10_000L);
        return client;
    }

    @Override
    public void close() {
        if (ticks != null) {
            ticks.cancel(false);
        }
        for (CoapObserveRelation current : new CoapObserveRelation[] {observation, desiredObservation}) {
            if (current != null) {
                current.proactiveCancel();
            }
        }
        endpoint.destroy();
    }
}

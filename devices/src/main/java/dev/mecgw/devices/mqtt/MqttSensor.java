package dev.mecgw.devices.mqtt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.lifecycle.Mqtt3ClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt3.message.connect.Mqtt3Connect;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import dev.mecgw.devices.CommandReply;
import dev.mecgw.devices.DeviceCounters;
import dev.mecgw.devices.SensorFeed;
import dev.mecgw.devices.SimulatedDevice;
import dev.mecgw.devices.firmware.DownloadRetry;
import dev.mecgw.devices.firmware.FirmwareAgent;
import dev.mecgw.devices.firmware.HttpRangeFetcher;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A sensor on MQTT 3.1.1 or 5 (HiveMQ client): username = device id, password = its registered password; publishes
 * {@code {"<metric>":v,"ts":epochMillis}} on {@code devices/{id}/telemetry} at QoS 1, subscribes to
 * {@code devices/{id}/commands/#} with a persistent session, and answers each command on
 * {@code .../commands/{name}/response} with {@code {"id"}} = the command id (MQTT 5: its correlation data or user
 * property {@code command-id}, also returned as the response's correlation data; MQTT 3.1.1 cannot see the id).
 * Reconnects by itself with backoff, with its credentials and to its persistent session; readings due while offline
 * are counted as failed, not queued (a real sensor's buffer is small).
 */
public final class MqttSensor implements SimulatedDevice {

    /** The MQTT protocol level a sensor uses. */
    public enum Version {
        V3,
        V5
    }

    private static final String COMMAND_ID = "command-id";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** HTTP range asked for per request: a cut link costs at most this much again. */
    private static final int DOWNLOAD_CHUNK = 64 * 1024;
    /** Failed requests in a row before a download is reported as connection lost (result 4). */
    private static final int DOWNLOAD_FAILURES = 30;

    private final String id;
    private final Version version;
    private final SensorFeed feed;
    private final DeviceCounters counters = new DeviceCounters();
    private final Mqtt3AsyncClient v3;
    private final Mqtt5AsyncClient v5;
    /** The sensor's CONNECT (credentials, persistent session), sent first and again on every reconnect. */
    private final Mqtt3Connect connect3;
    /** As {@link #connect3}, for MQTT 5 (session expiry one hour). */
    private final Mqtt5Connect connect5;

    private final String password;
    private volatile FirmwareAgent firmware;
    private ScheduledFuture<?> ticks;

    /**
     * @param endpoint gateway MQTT host and port
     * @param id device id (also the client id and username)
     * @param password registered password
     * @param version protocol level
     * @param feed what to send and when
     */
    public MqttSensor(MqttEndpoint endpoint, String id, String password, Version version, SensorFeed feed) {
        this.id = id;
        this.password = password;
        this.version = version;
        this.feed = feed;
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        this.connect5 = Mqtt5Connect.builder()
                .cleanStart(false)
                .sessionExpiryInterval(3600)
                .simpleAuth()
                .username(id)
                .password(secret)
                .applySimpleAuth()
                .build();
        this.connect3 = Mqtt3Connect.builder()
                .cleanSession(false)
                .simpleAuth()
                .username(id)
                .password(secret)
                .applySimpleAuth()
                .build();
        var builder = MqttClient.builder()
                .identifier(id)
                .serverHost(endpoint.host())
                .serverPort(endpoint.port())
                .automaticReconnect()
                .initialDelay(500, TimeUnit.MILLISECONDS)
                .maxDelay(5, TimeUnit.SECONDS)
                .applyAutomaticReconnect()
                .addConnectedListener(context -> {
                    counters.online.set(true);
                    subscribe();
                })
                .addDisconnectedListener(context -> {
                    if (counters.online.getAndSet(false) == false) {
                        counters.connectFailures.incrementAndGet();
                    }
                    reconnectAsItself(context);
                });
        if (version == Version.V5) {
            this.v5 = builder.useMqttVersion5().buildAsync();
            this.v3 = null;
            v5.publishes(
                    MqttGlobalPublishFilter.SUBSCRIBED,
                    p -> onMessage(p.getTopic().toString(), commandId(p), p.getPayloadAsBytes()));
        } else {
            this.v3 = builder.useMqttVersion3().buildAsync();
            this.v5 = null;
            v3.publishes(
                    MqttGlobalPublishFilter.SUBSCRIBED,
                    p -> onMessage(p.getTopic().toString(), Optional.empty(), p.getPayloadAsBytes()));
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String protocol() {
        return version == Version.V5 ? "mqtt5" : "mqtt3";
    }

    @Override
    public DeviceCounters counters() {
        return counters;
    }

    /**
     * Runs the firmware object (issue 18, docs/ota.md): the desired {@code firmware} arrives on the retained
     * {@code devices/{id}/twin/desired}, the image is downloaded over HTTP {@code Range} as this device (its own
     * user name and password) and progress is published on {@code devices/{id}/twin/reported}. Call before
     * {@link #start()}.
     *
     * @param publicKey the site's firmware signing key (Base64 SubjectPublicKeyInfo)
     * @param web the gateway's web base URI the desired object's URIs are resolved against
     * @param initialVersion the firmware version the device runs at start
     * @return the agent, for failure modes and the running version
     */
    public FirmwareAgent enableFirmware(String publicKey, URI web, String initialVersion) {
        HttpRangeFetcher fetcher = new HttpRangeFetcher(
                web,
                id,
                password,
                DOWNLOAD_CHUNK,
                new DownloadRetry(DOWNLOAD_FAILURES, Duration.ofSeconds(1), Duration.ofSeconds(15)),
                counters.firmwareBytes);
        firmware = new FirmwareAgent(
                initialVersion,
                publicKey,
                fetcher,
                reported -> publish(
                        "devices/" + id + "/twin/reported", reported.toString().getBytes(StandardCharsets.UTF_8)));
        return firmware;
    }

    @Override
    public void start() {
        if (v5 != null) {
            v5.connect(connect5);
        } else {
            v3.connect(connect3);
        }
        ticks = feed.every(this::tick);
    }

    /**
     * Issue 18 (kill -9 fleet test): the client's automatic reconnect does not repeat the credentials of the CONNECT
     * given to {@code connect()} (only those set on the client builder; hivemq-mqtt-client issue 574), so after a
     * gateway restart every attempt was refused "bad user name or password" and the sensor never sent again. Each
     * reconnect is handed the sensor's own CONNECT, session flags included. Called on the client's event loop, as the
     * reconnector requires.
     */
    private void reconnectAsItself(MqttClientDisconnectedContext context) {
        if (context instanceof Mqtt5ClientDisconnectedContext v5Context) {
            v5Context.getReconnector().connect(connect5);
        } else if (context instanceof Mqtt3ClientDisconnectedContext v3Context) {
            v3Context.getReconnector().connect(connect3);
        }
    }

    private void subscribe() {
        subscribe("devices/" + id + "/commands/#");
        if (firmware != null) {
            subscribe("devices/" + id + "/twin/desired");
        }
    }

    private void subscribe(String filter) {
        CompletableFuture<?> done = v5 != null
                ? v5.subscribeWith()
                        .topicFilter(filter)
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .send()
                : v3.subscribeWith()
                        .topicFilter(filter)
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .send();
        done.exceptionally(e -> null);
    }

    private void tick() {
        FirmwareAgent agent = firmware;
        if (agent != null && agent.silenced()) {
            return;
        }
        if (!counters.online.get()) {
            counters.failed.incrementAndGet();
            return;
        }
        publish("devices/" + id + "/telemetry", feed.nextReading(), counters.acknowledged, counters.failed);
        counters.sent.incrementAndGet();
    }

    /** @return the command id the gateway put in an MQTT 5 command: correlation data, else user property */
    public static Optional<String> commandId(Mqtt5Publish command) {
        Optional<String> correlation = command.getCorrelationData()
                .map(data -> StandardCharsets.UTF_8.decode(data).toString())
                .filter(value -> !value.isEmpty());
        if (correlation.isPresent()) {
            return correlation;
        }
        return command.getUserProperties().asList().stream()
                .filter(property -> property.getName().toString().equals(COMMAND_ID))
                .map(property -> property.getValue().toString())
                .findFirst();
    }

    private void onMessage(String topic, Optional<String> commandId, byte[] payload) {
        FirmwareAgent agent = firmware;
        if (agent != null && topic.equals("devices/" + id + "/twin/desired")) {
            try {
                agent.onDesiredAsync(JSON.readTree(payload));
            } catch (IOException e) {
                // Not a JSON object: nothing a device could act on.
            }
            return;
        }
        onCommand(topic, commandId, payload);
    }

    private void onCommand(String topic, Optional<String> commandId, byte[] payload) {
        CommandReply.commandName(topic).ifPresent(name -> {
            counters.commands.incrementAndGet();
            publish(
                    CommandReply.responseTopic(id, name),
                    CommandReply.response(name, commandId, payload, feed.clock().instant()),
                    commandId,
                    counters.responses,
                    new AtomicLong());
        });
    }

    private void publish(String topic, byte[] payload) {
        publish(topic, payload, Optional.empty(), new AtomicLong(), new AtomicLong());
    }

    private void publish(String topic, byte[] payload, AtomicLong ok, AtomicLong failed) {
        publish(topic, payload, Optional.empty(), ok, failed);
    }

    private void publish(String topic, byte[] payload, Optional<String> correlation, AtomicLong ok, AtomicLong failed) {
        if (v5 != null) {
            v5.publishWith()
                    .topic(topic)
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(payload)
                    .correlationData(correlation
                            .map(value -> value.getBytes(StandardCharsets.UTF_8))
                            .orElse(null))
                    .send()
                    .whenComplete((result, error) -> count(error == null && accepted(result), ok, failed));
        } else {
            v3.publishWith()
                    .topic(topic)
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(payload)
                    .send()
                    .whenComplete((result, error) -> count(error == null, ok, failed));
        }
    }

    private static boolean accepted(Mqtt5PublishResult result) {
        if (result.getError().isPresent()) {
            return false;
        }
        return !(result instanceof Mqtt5PublishResult.Mqtt5Qos1Result qos1)
                || !qos1.getPubAck().getReasonCode().isError();
    }

    private static void count(boolean success, AtomicLong ok, AtomicLong failed) {
        (success ? ok : failed).incrementAndGet();
    }

    @Override
    public void close() {
        if (ticks != null) {
            ticks.cancel(false);
        }
        try {
            (v5 != null ? v5.disconnect() : v3.disconnect()).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Already gone (gateway stopped first): nothing left to release.
        }
    }
}

package dev.mecgw.app.mqtt;

import dev.mecgw.app.acl.AccessPolicy;
import dev.mecgw.app.acl.Principal;
import dev.mecgw.app.credentials.ClientCertificates;
import dev.mecgw.app.credentials.PasswordHasher;
import dev.mecgw.app.credentials.VerifiedPasswordCache;
import dev.mecgw.app.mqtt.persistence.BrokerMessage;
import dev.mecgw.app.mqtt.persistence.RetainedStore;
import dev.mecgw.app.mqtt.persistence.SessionStore;
import dev.mecgw.app.mqtt.persistence.Subscription;
import dev.mecgw.app.registry.DeviceRegistry;
import dev.mecgw.app.twin.CommandReceipts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real broker on a free loopback port without Quarkus, for protocol tests that need their own limits:
 * anonymous clients may use every topic outside {@code devices/}; retained messages and sessions live in
 * memory only; meters in a {@link SimpleMeterRegistry}. Starts in well under a second.
 */
public final class StandaloneBroker implements AutoCloseable {

    final MqttBroker broker;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Vertx vertx = Vertx.vertx();

    private StandaloneBroker(
            Map<String, String> overrides,
            DeviceRegistry registry,
            PasswordHasher hasher,
            Clock clock,
            SessionStore sessions,
            AccessPolicy policy)
            throws Exception {
        Map<String, String> props = new HashMap<>(
                Map.of("mecgw.mqtt.host", "127.0.0.1", "mecgw.mqtt.port", "0", "mecgw.mqtt.allow-anonymous", "true"));
        props.putAll(overrides);
        MqttConfig config = new SmallRyeConfigBuilder()
                .withMapping(MqttConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(props, "test", 500))
                .build()
                .getConfigMapping(MqttConfig.class);
        broker = new MqttBroker(
                vertx,
                config,
                new MqttBroker.Dependencies(
                        registry,
                        hasher,
                        ClientCertificates.fingerprintsOnly(fingerprint -> Optional.empty()),
                        policy,
                        null,
                        null,
                        null,
                        null,
                        new NoRetained(),
                        sessions,
                        null,
                        (peer, device) -> CompletableFuture.completedFuture(Optional.empty()),
                        meters,
                        CommandReceipts.NONE,
                        new VerifiedPasswordCache(System::nanoTime)),
                clock);
        broker.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Starts a broker whose devices authenticate with passwords against {@code registry}, with windows on {@code clock}. */
    static StandaloneBroker givenABroker(
            Map<String, String> config, DeviceRegistry registry, PasswordHasher hasher, Clock clock) throws Exception {
        return new StandaloneBroker(config, registry, hasher, clock, new NoSessions(), new OutsideDevices());
    }

    /** Starts a broker with {@code mecgw.mqtt.*} settings on top of the defaults. */
    static StandaloneBroker givenABroker(Map<String, String> config) throws Exception {
        return new StandaloneBroker(config, null, null, Clock.systemUTC(), new NoSessions(), new OutsideDevices());
    }

    /** Starts a broker whose session expiry runs on {@code clock} and whose sessions live in {@code sessions}. */
    static StandaloneBroker givenABroker(Map<String, String> config, Clock clock, SessionStore sessions)
            throws Exception {
        return new StandaloneBroker(config, null, null, clock, sessions, new OutsideDevices());
    }

    /** Starts a broker that asks {@code policy} who may publish and subscribe. */
    static StandaloneBroker givenABroker(Map<String, String> config, AccessPolicy policy) throws Exception {
        return new StandaloneBroker(config, null, null, Clock.systemUTC(), new NoSessions(), policy);
    }

    int port() {
        return broker.port();
    }

    double count(String meter, String... tags) {
        Counter counter = meters.find(meter).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Override
    public void close() throws Exception {
        broker.stop();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** The anonymous rights of {@code mecgw.mqtt.allow-anonymous}: everything outside devices/. */
    private static final class OutsideDevices implements AccessPolicy {
        @Override
        public boolean mayPublish(Principal principal, String topic) {
            return !topic.startsWith("devices/");
        }

        @Override
        public boolean maySubscribe(Principal principal, String filter) {
            return !filter.startsWith("devices/");
        }
    }

    /** Retained messages kept by the broker in memory only (the store is not read back). */
    public static final class NoRetained implements RetainedStore {
        @Override
        public List<BrokerMessage> loadAll() {
            return List.of();
        }

        @Override
        public void put(BrokerMessage message) {
            // In memory only.
        }

        @Override
        public void remove(String topic) {
            // In memory only.
        }
    }

    private static final class NoSessions implements SessionStore {
        @Override
        public List<StoredSession> loadAll() {
            return List.of();
        }

        @Override
        public void save(
                String clientId,
                Principal principal,
                List<Subscription> subscriptions,
                long expirySeconds,
                long expiresAtMillis) {
            // In memory only.
        }

        @Override
        public void append(String clientId, StoredMessage message) {
            // In memory only.
        }

        @Override
        public void remove(String clientId, long seq) {
            // In memory only.
        }

        @Override
        public void forget(String clientId) {
            // In memory only.
        }
    }
}

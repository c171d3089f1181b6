package dev.mecgw.app.mqtt;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.hibernate.validator.constraints.time.DurationMin;

/** The gateway's MQTT 3.1.1/5 broker under {@code mecgw.mqtt}. */
@ConfigMapping(prefix = "mecgw.mqtt")
public interface MqttConfig {

    /** Whether the broker starts at all. Default true. */
    @WithDefault("true")
    boolean enabled();

    /** Interface address to bind. Default {@code 0.0.0.0}. */
    @WithDefault("0.0.0.0")
    String host();

    /** Plain-TCP port; 0 picks a free port (tests). Default 1883. */
    @WithDefault("1883")
    @Min(0) @Max(65535) int port();

    /** TLS port, used only when both {@link #tlsCert()} and {@link #tlsKey()} are set. Default 8883. */
    @WithDefault("8883")
    @Min(0) @Max(65535) int tlsPort();

    /** PEM certificate chain for the TLS listener; absent turns TLS off. */
    Optional<Path> tlsCert();

    /** PEM private key for the TLS listener; absent turns TLS off. */
    Optional<Path> tlsKey();

    /**
     * Lets clients without credentials connect with publish/subscribe rights on every topic outside
     * {@code devices/}. For generic clients and conformance suites; never a production setting. Default false.
     */
    @WithDefault("false")
    boolean allowAnonymous();

    /** Largest MQTT packet accepted or sent, in bytes; bigger ones close the connection. Default 262144. */
    @WithDefault("262144")
    @Min(64) @Max(268_435_455) int maxPacketSize();

    /** Most open connections from one source IP address. Default 20000. */
    @WithDefault("20000")
    @Min(1) int maxConnectionsPerAddress();

    /**
     * Most unacknowledged QoS 1/2 messages sent to one client (further ones wait in its queue); also the
     * receive maximum announced to MQTT 5 clients. Messages in flight are shared between subscribers,
     * so a wide window costs little memory; 64 halved QoS 1 fan-in throughput in bench/mqtt. Default 1000.
     */
    @WithDefault("1000")
    @Min(1) @Max(65535) int maxInflight();

    /** Most subscriptions one client may hold; more are refused with quota exceeded. Default 100. */
    @WithDefault("100")
    @Min(1) int maxSubscriptionsPerClient();

    /**
     * Most messages queued for one client (offline or over its inflight window); oldest dropped. For a
     * connected client the publishers feeding it are paused from half this bound until it drains to a
     * quarter, so only an offline or stalled client loses messages. Default 1000.
     */
    @WithDefault("1000")
    @Min(1) int maxQueuedMessages();

    /** Most payload bytes queued for one client; oldest dropped beyond it (watermarks as by count). Default 1048576. */
    @WithDefault("1048576")
    @Min(1) long maxQueuedBytes();

    /**
     * Longest time publishers stay paused for one congested connected subscriber; after it the subscriber is
     * treated as stalled, publishers resume and its queue drops oldest until it drains. Keep it below the
     * clients' keep-alive: a paused connection reads no PINGREQ. Default {@code 10s}.
     */
    @WithDefault("10s")
    Duration maxPublisherPause();

    /**
     * Longest time a persistent session is kept after its client disconnects (MQTT 5 asks for less per
     * connection; MQTT 3.1.1 clean-session=false sessions get exactly this). Default {@code 1h}.
     */
    @WithDefault("1h")
    Duration maxSessionExpiry();

    /**
     * Most sessions of one device, connected or kept after a disconnect for its expiry (issue 15 item 7); a CONNECT
     * that would open one more is refused with CONNACK 0x97 quota exceeded (0x03 on MQTT 3.1.1). Reconnecting with
     * a client id that has a session never counts as a new one. Anonymous clients count only in
     * {@link #maxSessions()}. Default 16.
     */
    @WithDefault("16")
    @Min(1) int maxSessionsPerDevice();

    /** Most sessions altogether, refused as {@link #maxSessionsPerDevice()} beyond it. Default 100000. */
    @WithDefault("100000")
    @Min(1) int maxSessions();

    /**
     * Most retained messages one device (an anonymous client: one client id) holds (issue 15 item 7); beyond it an
     * MQTT 5 QoS 1/2 retained PUBLISH gets PUBACK/PUBREC 0x97 quota exceeded and is not delivered, while MQTT 3.1.1
     * and QoS 0 ones are delivered without being retained. Replacing or clearing one's own topic always fits.
     * Default 100.
     */
    @WithDefault("100")
    @Min(1) int maxRetainedPerDevice();

    /** Most retained payload bytes one device holds, refused as {@link #maxRetainedPerDevice()}. Default 1048576. */
    @WithDefault("1048576")
    @Min(1) long maxRetainedBytesPerDevice();

    /** Most retained messages altogether, refused as {@link #maxRetainedPerDevice()}. Default 100000. */
    @WithDefault("100000")
    @Min(1) int maxRetainedMessages();

    /** Most retained payload bytes altogether, refused as {@link #maxRetainedPerDevice()}. Default 67108864. */
    @WithDefault("67108864")
    @Min(1) long maxRetainedBytes();

    /** Most topic aliases a client may set (MQTT 5 Topic Alias Maximum). Default 32. */
    @WithDefault("32")
    @Min(0) @Max(65535) int topicAliasMaximum();

    /**
     * Time a new TCP connection may take to send CONNECT, counted in whole seconds (at least {@code 1s}).
     * Default {@code 10s}. Replaces {@code connect-timeout-seconds} (issue 13): a bare number still reads as
     * seconds.
     */
    @WithDefault("10s")
    @DurationMin(seconds = 1)
    Duration connectTimeout();

    /**
     * Longest keep-alive an MQTT 5 client may use (Server Keep Alive, MQTT 5 section 3.2.2.3.14): a client asking for
     * more, or for none, gets this value in CONNACK and is disconnected after one and a half times it without a
     * packet, so that half-open connections and their sessions do not linger. Whole seconds, at most 65535s.
     * Default {@code 15m}.
     */
    @WithDefault("15m")
    Duration maxKeepAlive();

    /** How long a verified device password is remembered, sparing PBKDF2 on reconnects. Default {@code 5m}. */
    @WithDefault("5m")
    Duration passwordCacheTtl();

    /**
     * Failed password attempts per device id within {@link #authFailureWindow()}; further attempts for that id are
     * refused without hashing (CONNACK 0x97 quota exceeded, 0x03 on MQTT 3.1.1) until the window ends. A device
     * whose password was verified within {@link #passwordCacheTtl()} still connects. Default 10.
     */
    @WithDefault("10")
    @Min(1) int authFailuresPerDevice();

    /** Failed password attempts per source address within {@link #authFailureWindow()}, as above. Default 100. */
    @WithDefault("100")
    @Min(1) int authFailuresPerAddress();

    /** Window of the failed-attempt limits: a failure counts for this long after it. Default {@code 1m}. */
    @WithDefault("1m")
    Duration authFailureWindow();

    /**
     * Threads deriving password hashes (PBKDF2), apart from the shared worker pool so that a CONNECT flood
     * cannot take the threads of the event loops and the ingest. Default 2.
     */
    @WithDefault("2")
    @Min(1) int authHashThreads();

    /** Password checks waiting for a hash thread; beyond, CONNACK 0x88 server unavailable (0x03). Default 1000. */
    @WithDefault("1000")
    @Min(1) int authHashQueue();
}

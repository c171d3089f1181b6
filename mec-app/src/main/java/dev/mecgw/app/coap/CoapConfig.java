package dev.mecgw.app.coap;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The CoAP/CoAPS front-end under {@code mecgw.coap}. */
@ConfigMapping(prefix = "mecgw.coap")
public interface CoapConfig {

    /** Whether the CoAP front-end starts at all. Env {@code MECGW_COAP_ENABLED}. Default {@code true}. */
    @WithDefault("true")
    boolean enabled();

    /** Address both UDP endpoints bind to. Env {@code MECGW_COAP_HOST}. Default {@code 0.0.0.0}. */
    @WithDefault("0.0.0.0")
    String host();

    /** UDP port of plain CoAP; 0 picks a free port. Env {@code MECGW_COAP_PORT}. Default 5683. */
    @WithDefault("5683")
    @Min(0) @Max(65535) int port();

    /** UDP port of CoAP over DTLS 1.2; 0 picks a free port. Env {@code MECGW_COAP_DTLS_PORT}. Default 5684. */
    @WithDefault("5684")
    @Min(0) @Max(65535) int dtlsPort();

    /**
     * Whether plain (unauthenticated) CoAP may post telemetry on {@code POST /telemetry/{deviceId}} for
     * registered devices, e.g. on a trusted network slice. Everything else on the plain port needs DTLS
     * anyway. Env {@code MECGW_COAP_ALLOW_UNSECURED}. Default {@code false}.
     */
    @WithDefault("false")
    boolean allowUnsecured();

    /**
     * Largest CoAP payload in one datagram, in bytes; bigger bodies must use Block1/Block2 (RFC 7959) or
     * get 4.13. Env {@code MECGW_COAP_MAX_MESSAGE_SIZE}. Default 1024.
     */
    @WithDefault("1024")
    @Min(64) @Max(8192) int maxMessageSize();

    /** Block size the server uses for Block2 transfers, a power of two 16..1024, in bytes. Default 1024. */
    @WithDefault("1024")
    @Min(16) @Max(1024) int blockSize();

    /**
     * Largest request body reassembled from Block1 transfers (camera frames), in bytes; beyond it the
     * request gets 4.13. Env {@code MECGW_COAP_MAX_BODY_SIZE}. Default 4194304 (4 MiB).
     */
    @WithDefault("4194304")
    @Min(1024) int maxBodySize();

    /**
     * Body limit of Block1 uploads to routes other than {@code /frames} (telemetry, twin, command results), in
     * bytes; Californium reserves this much per transfer, so it stays far below {@link #maxBodySize()}. Env
     * {@code MECGW_COAP_MAX_TELEMETRY_BODY_SIZE}. Default 65536 (64 KiB).
     */
    @WithDefault("65536")
    @Min(1024) int maxTelemetryBodySize();

    /**
     * Most bytes reserved for Block1 reassembly by all transfers together (issue 15 item 1); a transfer beyond it
     * gets 5.03 on its first block. Env {@code MECGW_COAP_BLOCK1_MAX_TOTAL_BYTES}. Default 67108864 (64 MiB).
     */
    @WithDefault("67108864")
    @Min(1024) long block1MaxTotalBytes();

    /**
     * Most bytes reserved for Block1 reassembly by the transfers of one source IP address, any port; at least
     * {@link #maxBodySize()} so that one frame fits. Env {@code MECGW_COAP_BLOCK1_MAX_ADDRESS_BYTES}. Default
     * 8388608 (8 MiB).
     */
    @WithDefault("8388608")
    @Min(1024) long block1MaxAddressBytes();

    /**
     * How long a Block1 transfer may pause between two blocks before its state is dropped (Californium's
     * BLOCKWISE_STATUS_LIFETIME). Env {@code MECGW_COAP_BLOCK1_LIFETIME}. Default {@code 10s}.
     */
    @WithDefault("10s")
    Duration block1Lifetime();

    /** Sustained requests per second one peer (IP address and port) may send. Default 50. */
    @WithDefault("50")
    @Min(1) int peerRate();

    /** Requests one peer may send in a burst above the sustained rate. Default 100. */
    @WithDefault("100")
    @Min(1) int peerBurst();

    /**
     * Most peer sessions (rate-limit buckets) one source IP address may hold, any port (issue 15 item 5): a host
     * cycling source ports cannot fill the peer table. Env {@code MECGW_COAP_MAX_PEERS_PER_ADDRESS}. Default 64.
     */
    @WithDefault("64")
    @Min(1) int maxPeersPerAddress();

    /** Most DTLS connections (sessions) kept at once; the least recently used stale one is evicted. Default 10000. */
    @WithDefault("10000")
    @Min(1) int dtlsMaxConnections();

    /**
     * Most DTLS handshakes waiting for their PSK lookup at once; further ClientHellos are dropped, which
     * bounds what a flood of handshakes can cost. At least 64 (Scandium's minimum). Default 256.
     */
    @WithDefault("256")
    @Min(64) int dtlsMaxPendingHandshakes();

    /**
     * Percent of the {@link #exchangeMemoryBudget()} (of each endpoint's half when the plain port is bound) that
     * one peer may hold, so that one peer cannot fill the budget and lock every other device out: a further request
     * of that peer gets 5.03 with Max-Age until its oldest one leaves the deduplication span. Never less than what a
     * device within its limits needs over the span ({@link #peerBurst()} plus {@link #peerRate()} for the whole
     * span, plus the 1 KiB blocks of one {@link #maxBodySize()} upload: 6,696 exchanges, 17 MB, at the defaults), so
     * a busy legitimate device is refused only when the whole budget is full. Env
     * {@code MECGW_COAP_DEDUPLICATION_PEER_SHARE}. Default 50.
     */
    @WithDefault("50")
    @Min(1) @Max(100) int deduplicationPeerShare();

    /**
     * Heap the deduplication cache may use, in bytes, all peers together (issue 18 finding 1; split in halves when
     * the plain port is bound too). Each remembered exchange is charged {@link #maxMessageSize()} plus 1536 bytes
     * of objects, so the default keeps 26,214 exchanges at the default message size, about 520 requests/s
     * sustained over the deduplication span. An exchange is never forgotten within its span: when the budget is
     * full a new request gets 5.03 with Max-Age (the seconds until room frees) and has no effect. GETs of {@code
     * /fw/{name}} are never kept: a retransmitted block request reads the immutable artifact again. Env
     * {@code MECGW_COAP_EXCHANGE_MEMORY_BUDGET}. Default 67108864 (64 MiB).
     */
    @WithDefault("67108864")
    @Min(65536) long exchangeMemoryBudget();

    /**
     * Added to MAX_TRANSMIT_SPAN (RFC 7252 section 4.8.2, 45 s with Californium's default transmission parameters)
     * to give how long an answered request is remembered for deduplication: the most by which a retransmission may
     * arrive later, relative to the first copy, than its sender's schedule says, i.e. the spread of one-way latency
     * on the site network. Env {@code MECGW_COAP_DEDUPLICATION_LATENCY_ALLOWANCE}. Default {@code 5s}.
     */
    @WithDefault("5s")
    Duration deduplicationLatencyAllowance();

    /**
     * How long a DTLS session may stay unused before it counts as stale; when {@link #dtlsMaxConnections()}
     * is reached, the least recently used stale session is evicted for a new handshake, and without a stale
     * one the handshake is refused. Env {@code MECGW_COAP_DTLS_STALE_CONNECTION_THRESHOLD}. Default
     * {@code 30m}.
     */
    @WithDefault("30m")
    Duration dtlsStaleConnectionThreshold();

    /** A device not heard from for this long is marked offline. Default {@code 5m}. */
    @WithDefault("5m")
    Duration presenceTimeout();

    /** Threads of Californium's protocol stage (parsing, matching, resource handlers). Default 2. */
    @WithDefault("2")
    @Min(1) @Max(64) int protocolThreads();

    /**
     * PKCS#12 key store holding the gateway's DTLS certificate and private key (EC, first key entry).
     * When set, devices may also authenticate with a client certificate whose SHA-256 fingerprint is
     * registered ({@code credentials.x509Sha256}); absent turns X.509 client authentication off.
     * Env {@code MECGW_COAP_DTLS_KEY_STORE}.
     */
    Optional<Path> dtlsKeyStore();

    /** Password of {@link #dtlsKeyStore()} and its key. Env {@code MECGW_COAP_DTLS_KEY_STORE_PASSWORD}. */
    Optional<String> dtlsKeyStorePassword();
}

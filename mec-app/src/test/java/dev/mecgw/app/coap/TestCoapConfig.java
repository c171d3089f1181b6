package dev.mecgw.app.coap;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The mapping's defaults with free ports and the given switches, for tests without Quarkus. */
record TestCoapConfig(boolean allowUnsecured, int peerRate, int peerBurst) implements CoapConfig {
    public boolean enabled() {
        return true;
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return 0;
    }

    public int dtlsPort() {
        return 0;
    }

    public int maxMessageSize() {
        return 1024;
    }

    public int blockSize() {
        return 1024;
    }

    public int maxBodySize() {
        return 1 << 20;
    }

    public int dtlsMaxConnections() {
        return 100;
    }

    public int dtlsMaxPendingHandshakes() {
        return 64;
    }

    public int deduplicationPeerShare() {
        return 50;
    }

    public long exchangeMemoryBudget() {
        return 64L << 20;
    }

    public Duration deduplicationLatencyAllowance() {
        return Duration.ofSeconds(5);
    }

    public Duration dtlsStaleConnectionThreshold() {
        return Duration.ofMinutes(30);
    }

    public Duration presenceTimeout() {
        return Duration.ofMinutes(5);
    }

    public int protocolThreads() {
        return 2;
    }

    public Optional<Path> dtlsKeyStore() {
        return Optional.empty();
    }

    public Optional<String> dtlsKeyStorePassword() {
        return Optional.empty();
    }

    public int maxTelemetryBodySize() {
        return 65536;
    }

    public long block1MaxTotalBytes() {
        return 8L << 20;
    }

    public long block1MaxAddressBytes() {
        return 2L << 20;
    }

    public java.time.Duration block1Lifetime() {
        return Duration.ofSeconds(10);
    }

    public int maxPeersPerAddress() {
        return 64;
    }
}

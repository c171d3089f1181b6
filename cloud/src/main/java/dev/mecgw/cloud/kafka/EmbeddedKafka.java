package dev.mecgw.cloud.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.jboss.logging.Logger;

/**
 * A single-node KRaft Kafka broker in this JVM, the cloud's default when no Kafka cluster is configured. Plaintext,
 * bound to one address (127.0.0.1 by default); its log survives restarts under the given directory. Built the way
 * the sync library's tests start their in-process broker. Optionally a second listener serves gateways only
 * ({@link EdgeListener}), so that their link can be cut while the cloud's own clients keep theirs.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedKafka.class);

    private final KafkaRaftServer server;
    private final String bootstrap;
    private final String edgeBootstrap;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrap, String edgeBootstrap) {
        this.server = server;
        this.bootstrap = bootstrap;
        this.edgeBootstrap = edgeBootstrap;
    }

    /**
     * The gateways' own listener.
     *
     * @param port the port it binds on the broker's host
     * @param advertisedPort the port it tells clients to connect to: {@code port}, or that of a proxy in front of it
     */
    public record EdgeListener(int port, int advertisedPort) {}

    /**
     * Starts the broker and waits until it answers.
     *
     * @param dir the broker's log directory; formatted on first use, reused afterwards
     * @param host the address to bind and advertise, e.g. {@code 127.0.0.1}
     * @param port the client port; 0 picks a free one
     * @return the running broker
     * @throws Exception when the broker does not start within a minute
     */
    public static EmbeddedKafka start(Path dir, String host, int port) throws Exception {
        return start(dir, host, port, Optional.empty());
    }

    /**
     * Starts the broker, with a listener for gateways when {@code edge} is given, and waits until it answers.
     *
     * @param dir the broker's log directory; formatted on first use, reused afterwards
     * @param host the address to bind and advertise, e.g. {@code 127.0.0.1}
     * @param port the cloud's client port; 0 picks a free one
     * @param edge the gateways' listener on the same host, or empty for none (gateways then use {@code port})
     * @return the running broker
     * @throws Exception when the broker does not start within a minute
     */
    public static EmbeddedKafka start(Path dir, String host, int port, Optional<EdgeListener> edge) throws Exception {
        return start(dir, host, port, edge, EmbeddedKafka::freePort);
    }

    /**
     * As {@link #start(Path, String, int, Optional)}, the ports it picks from {@code ports}: the client's when
     * {@code port} is 0, then the controller's. They are free when picked but bound only seconds later, by the
     * broker's start: a client port taken meanwhile (any of the host's outgoing connections may get it) failed the
     * cloud's start with "Address already in use" in a loaded CI run. Such a start is stopped and made again on other
     * ports, three times at most. (A taken controller port is not retried: Kafka's controller ends the process on
     * it; its window is shorter, the controller binding first.)
     */
    static EmbeddedKafka start(Path dir, String host, int port, Optional<EdgeListener> edge, PortSource ports)
            throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                int clientPort = port == 0 ? ports.next(host) : port;
                return startOnce(dir, host, clientPort, edge, ports.next("127.0.0.1"));
            } catch (Exception e) {
                String bind = bindFailure(e);
                if (attempt == 3 || bind == null) {
                    throw e;
                }
                LOG.warnf(
                        "Embedded Kafka: a port was taken between its pick and the broker's bind (%s); starting again"
                                + " on others (attempt %d of 3)",
                        bind, attempt + 1);
            }
        }
    }

    /** Where the picked ports come from; a test gives a taken one first. */
    interface PortSource {
        int next(String host) throws IOException;
    }

    private static EmbeddedKafka startOnce(
            Path dir, String host, int clientPort, Optional<EdgeListener> edge, int controllerPort) throws Exception {
        Map<String, Object> props = baseProps(controllerPort);
        String listeners = "CLIENT://" + host + ":" + clientPort;
        String advertised = listeners;
        String edgeBootstrap = host + ":" + clientPort;
        if (edge.isPresent()) {
            listeners += ",EDGE://" + host + ":" + edge.get().port();
            edgeBootstrap = host + ":" + edge.get().advertisedPort();
            advertised += ",EDGE://" + edgeBootstrap;
        }
        props.put("listeners", listeners + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", advertised);
        props.put("listener.security.protocol.map", "CLIENT:PLAINTEXT,EDGE:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("inter.broker.listener.name", "CLIENT");
        return launch(dir, props, List.of(), host + ":" + clientPort, edgeBootstrap, Map.of());
    }

    /**
     * Starts a broker with the given listeners and security; the tests' TLS and SASL SCRAM broker.
     *
     * @param dir the log directory
     * @param props broker properties from {@link #baseProps} plus listeners and their security
     * @param scram SCRAM credentials written at format time, e.g. {@code SCRAM-SHA-512=[name=u,password=p]}
     * @param bootstrap the client bootstrap to wait for
     * @param clientProps the client security settings for that bootstrap
     */
    static EmbeddedKafka start(
            Path dir, Map<String, Object> props, List<String> scram, String bootstrap, Map<String, Object> clientProps)
            throws Exception {
        return launch(dir, props, scram, bootstrap, bootstrap, clientProps);
    }

    private static EmbeddedKafka launch(
            Path dir,
            Map<String, Object> props,
            List<String> scram,
            String bootstrap,
            String edgeBootstrap,
            Map<String, Object> clientProps)
            throws Exception {
        String logDir = Files.createDirectories(dir).toAbsolutePath().toString();
        if (!Files.exists(dir.resolve("meta.properties"))) {
            format(logDir, scram);
        }
        props.put("log.dirs", logDir);
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
        try {
            server.startup();
        } catch (RuntimeException e) {
            // The broker stops itself when its start fails, the controller started before it does not: stop both,
            // so that the log directory is free for another start.
            server.shutdown();
            server.awaitShutdown();
            throw e;
        }
        EmbeddedKafka kafka = new EmbeddedKafka(server, bootstrap, edgeBootstrap);
        kafka.awaitReady(clientProps);
        return kafka;
    }

    /** @return the broker settings every embedded broker shares: one node, combined roles, single replicas */
    static Map<String, Object> baseProps(int controllerPort) {
        Map<String, Object> props = new HashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("num.partitions", "6");
        props.put("auto.create.topics.enable", "true");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "6");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        return props;
    }

    private static void format(String logDir, List<String> scram) throws Exception {
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setClusterId(Uuid.randomUuid().toString())
                .setNodeId(1)
                .setDirectories(List.of(logDir))
                .setMetadataLogDirectory(logDir)
                .setReleaseVersion(MetadataVersion.latestProduction())
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .setControllerListenerName("CONTROLLER")
                .setScramArguments(scram)
                .run();
    }

    private void awaitReady(Map<String, Object> clientProps) throws Exception {
        Map<String, Object> config = new HashMap<>(clientProps);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(config)) {
            admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
        }
    }

    /** @return the bootstrap servers of this broker for the cloud's own clients, {@code host:port} */
    public String bootstrap() {
        return bootstrap;
    }

    /** @return the bootstrap servers gateways use: the edge listener's advertised address, else {@link #bootstrap()} */
    public String edgeBootstrap() {
        return edgeBootstrap;
    }

    /** @return the message of the failure that wraps a {@link BindException} in {@code e}'s causes; null if none */
    private static String bindFailure(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause.getCause() instanceof BindException) {
                return cause.getMessage();
            }
            if (cause instanceof BindException) {
                return cause.getMessage();
            }
        }
        return null;
    }

    static int freePort(String host) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}

package dev.mecgw.testsupport.kafka;

import dev.mecgw.testsupport.net.FreePorts;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

/**
 * A single-node KRaft Kafka in this JVM with two client listeners: INTERNAL for the cloud side, and EDGE, whose
 * advertised address is a {@link TcpProxy} so that tests can cut the edge's backhaul without touching the cloud.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private final KafkaRaftServer server;
    private final int internalPort;
    private final TcpProxy edgeProxy;

    private EmbeddedKafkaBroker(KafkaRaftServer server, int internalPort, TcpProxy edgeProxy) {
        this.server = server;
        this.internalPort = internalPort;
        this.edgeProxy = edgeProxy;
    }

    /** Starts a broker with its data under {@code dir} and waits until it answers. */
    public static EmbeddedKafkaBroker start(Path dir) throws Exception {
        return start(dir, Map.of(), List.of());
    }

    /**
     * Starts a broker whose EDGE listener has its own security (INTERNAL stays plaintext for the cloud side).
     *
     * @param dir the log directory
     * @param edgeSecurity further broker properties, e.g. {@code listener.security.protocol.map} with
     *     {@code EDGE:SASL_SSL} and the {@code listener.name.edge.*} settings
     * @param scram SCRAM credentials written at format time, e.g. {@code SCRAM-SHA-512=[name=u,password=p]}
     */
    public static EmbeddedKafkaBroker start(Path dir, Map<String, Object> edgeSecurity, List<String> scram)
            throws Exception {
        // Three different ports, from below the ephemeral range (FreePorts): two kernel picks in a row once returned
        // the same port for INTERNAL and EDGE, which Kafka refuses.
        int[] ports = FreePorts.tcp(3);
        int internal = ports[0];
        int edge = ports[1];
        int controller = ports[2];
        TcpProxy proxy = TcpProxy.start(edge);
        String logDir = Files.createDirectories(dir).toString();
        format(logDir, scram);
        Map<String, Object> props = new HashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controller);
        props.put(
                "listeners",
                "INTERNAL://127.0.0.1:" + internal + ",EDGE://127.0.0.1:" + edge + ",CONTROLLER://127.0.0.1:"
                        + controller);
        props.put("advertised.listeners", "INTERNAL://127.0.0.1:" + internal + ",EDGE://127.0.0.1:" + proxy.port());
        props.put("listener.security.protocol.map", "INTERNAL:PLAINTEXT,EDGE:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("inter.broker.listener.name", "INTERNAL");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("log.dirs", logDir);
        props.put("num.partitions", "3");
        props.put("auto.create.topics.enable", "true");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "3");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.putAll(edgeSecurity);
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
        server.startup();
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(server, internal, proxy);
        broker.awaitReady();
        return broker;
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

    private void awaitReady() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cloudBootstrap()))) {
            admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
        }
    }

    /** @return bootstrap servers for the cloud side (never cut) */
    public String cloudBootstrap() {
        return "127.0.0.1:" + internalPort;
    }

    /** @return bootstrap servers for the edge, through the proxy */
    public String edgeBootstrap() {
        return "127.0.0.1:" + edgeProxy.port();
    }

    /** @return the proxy on the edge's backhaul */
    public TcpProxy backhaul() {
        return edgeProxy;
    }

    @Override
    public void close() {
        edgeProxy.close();
        server.shutdown();
        server.awaitShutdown();
    }
}

package dev.mecgw.cloud.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker's optional edge listener (issue 16, the demo's backhaul cuts): gateways are sent to its
 * advertised port, i.e. through a proxy in front of it, while the cloud's own clients keep their listener when that
 * proxy goes down.
 */
class EmbeddedKafkaEdgeListenerTest {

    @TempDir
    Path dir;

    private Vertx vertx;

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stopVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldSendGatewaysThroughTheAdvertisedEdgePortAndKeepTheCloudOnItsOwnListenerWhenTheLinkIsCut()
            throws Exception {
        // given a broker whose edge listener advertises a forwarder placed in front of it
        int edgePort = EmbeddedKafka.freePort("127.0.0.1");
        NetServer backhaul = givenAForwarderTo(edgePort);
        EmbeddedKafka.EdgeListener edge = new EmbeddedKafka.EdgeListener(edgePort, backhaul.actualPort());
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, "127.0.0.1", 0, Optional.of(edge))) {
            // when a gateway bootstraps on the edge bootstrap the broker prints
            assertThat(kafka.edgeBootstrap()).isEqualTo("127.0.0.1:" + backhaul.actualPort());
            assertThat(kafka.bootstrap()).isNotEqualTo(kafka.edgeBootstrap());

            // then the broker names the forwarder to it, and its own port to the cloud's clients
            assertThat(nodes(kafka.edgeBootstrap())).extracting(Node::port).containsExactly(backhaul.actualPort());
            assertThat(nodes(kafka.bootstrap()))
                    .extracting(Node::port)
                    .containsExactly(Integer.parseInt(kafka.bootstrap().split(":")[1]));

            // and with the forwarder gone (backhaul cut) the edge is unreachable but the cloud still is
            backhaul.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThatThrownBy(() -> nodes(kafka.edgeBootstrap())).isInstanceOf(Exception.class);
            assertThat(nodes(kafka.bootstrap())).hasSize(1);
        }
    }

    @Test
    void shouldGiveGatewaysTheCloudBootstrapWhenNoEdgeListenerIsConfigured() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, "127.0.0.1", 0)) {
            assertThat(kafka.edgeBootstrap()).isEqualTo(kafka.bootstrap());
        }
    }

    /** A plain TCP forwarder on a free loopback port, standing in for the demo's cuttable backhaul. */
    private NetServer givenAForwarderTo(int port) throws Exception {
        NetClient client = vertx.createNetClient();
        return vertx.createNetServer()
                .connectHandler(socket -> {
                    socket.pause();
                    client.connect(port, "127.0.0.1").onComplete(upstream -> {
                        if (upstream.failed()) {
                            socket.close();
                            return;
                        }
                        socket.pipeTo(upstream.result());
                        upstream.result().pipeTo(socket);
                    });
                })
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    private static Collection<Node> nodes(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                10_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                5_000))) {
            return admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
        }
    }
}

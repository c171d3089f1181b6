package dev.mecgw.cloud.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A port the embedded broker picked and found taken when it bound it (a loaded CI run: the cloud did not start,
 * "Address already in use") makes it start again on other ports instead of failing the cloud's start.
 */
class EmbeddedKafkaPortTakenTest {

    @TempDir
    Path dir;

    @Test
    void shouldStartOnOtherPortsWhenAPickedPortIsTakenBeforeTheBrokerBindsIt() throws Exception {
        // given a client port that something else holds by the time the broker binds it
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            AtomicInteger picks = new AtomicInteger();
            EmbeddedKafka.PortSource ports =
                    host -> picks.getAndIncrement() == 0 ? taken.getLocalPort() : EmbeddedKafka.freePort(host);

            // when the broker starts
            try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, "127.0.0.1", 0, Optional.empty(), ports);
                    Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap()))) {
                // then it runs, on the second pair of picks (client, controller), and answers on the second client port
                assertThat(picks).hasValue(4);
                assertThat(kafka.bootstrap()).isNotEqualTo("127.0.0.1:" + taken.getLocalPort());
                assertThat(admin.describeCluster().nodes().get()).hasSize(1);
            }
        }
    }
}

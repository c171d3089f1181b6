package dev.mecgw.sync.kafka;

import dev.mecgw.sync.backhaul.LinkProbe;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * {@link LinkProbe} that asks the cloud Kafka for its cluster metadata, so that the backhaul state stays current
 * while no change is in flight (a producer only notices a dead link when it has something to send).
 */
final class KafkaLinkProbe implements LinkProbe {

    private final Admin admin;

    private KafkaLinkProbe(Admin admin) {
        this.admin = admin;
    }

    /**
     * @param bootstrapServers the cloud brokers
     * @param passThrough the producer's pass-through properties (TLS, SASL), applied last
     * @return a probe with its own admin client; close it
     */
    static KafkaLinkProbe create(String bootstrapServers, Map<String, String> passThrough) {
        Map<String, Object> props = new HashMap<>();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "mecgw-sync-probe");
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        props.putAll(passThrough);
        // Producer-only settings in the pass-through would make the admin client log warnings; drop them.
        props.keySet().retainAll(AdminClientConfig.configNames());
        return new KafkaLinkProbe(Admin.create(props));
    }

    @Override
    public boolean reachable(Duration timeout) throws InterruptedException {
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .clusterId()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}

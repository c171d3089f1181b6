package dev.mecgw.app.sync;

import dev.mecgw.app.gateway.DaemonThreads;
import dev.mecgw.sync.backhaul.LinkProbe;
import dev.mecgw.sync.downlink.KafkaDownlinkConsumer;
import dev.mecgw.sync.kafka.KafkaChangeSink;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.kafka.common.KafkaException;
import org.jboss.logging.Logger;

/**
 * The cloud Kafka clients besides the captures' producers: the link probe and the downlink consumer (on a thread of
 * its own). Kafka clients refuse to be built while the bootstrap name does not resolve; the gateway must run on
 * without its backhaul, so they are built at start and again on every probe tick until they exist.
 */
final class CloudClients {

    private static final Logger LOG = Logger.getLogger(CloudClients.class);

    private final SyncConfig config;
    private final String siteId;
    private final DataSource dataSource;
    private final DownlinkHandoff handoff;

    /** The cloud while started; null before start and after stop, when nothing is built any more. */
    private volatile String bootstrap;

    private volatile LinkProbe probe;
    /** Volatile: the metrics read it without the lock that building it holds. */
    private volatile KafkaDownlinkConsumer downlink;

    CloudClients(SyncConfig config, String siteId, DataSource dataSource, DownlinkHandoff handoff) {
        this.config = config;
        this.siteId = siteId;
        this.dataSource = dataSource;
        this.handoff = handoff;
    }

    /** Remembers the cloud and builds the clients, or leaves them to {@link #reconnect()}. */
    void connect(String bootstrap) {
        this.bootstrap = bootstrap;
        reconnect();
    }

    /** @return whether {@link #connect} ran and {@link #close()} did not: the captures' retries are owed too */
    boolean started() {
        return bootstrap != null;
    }

    /** Builds the clients that do not exist yet; does nothing when not started. */
    synchronized void reconnect() {
        String cloud = bootstrap;
        if (cloud == null) {
            return;
        }
        try {
            if (probe == null) {
                probe = KafkaChangeSink.linkProbe(cloud, config.kafka().properties());
            }
            if (downlink == null) {
                startDownlink(cloud);
            }
        } catch (KafkaException e) {
            LOG.debugf("cloud Kafka clients not created yet: %s", SyncChannel.rootMessage(e));
        }
    }

    private void startDownlink(String cloud) {
        downlink = KafkaDownlinkConsumer.create(cloud, siteId, config.kafka().properties(), dataSource, handoff);
        DaemonThreads.start("mecgw-sync-downlink", downlink);
    }

    /**
     * @return whether the cloud Kafka answered within {@code timeout}; empty while the probe does not exist
     * @throws InterruptedException when interrupted while waiting
     */
    Optional<Boolean> reachable(Duration timeout) throws InterruptedException {
        LinkProbe current = probe;
        return current == null ? Optional.empty() : Optional.of(current.reachable(timeout));
    }

    /** @return downlink messages the local store refused for good and that were skipped, since start */
    long downlinkRefused() {
        KafkaDownlinkConsumer running = downlink;
        return running == null ? 0 : running.refusedTotal();
    }

    /**
     * Stops the downlink consumer and closes the probe; nothing is built afterwards. Under the lock that
     * {@link #reconnect()} holds, so that a build in flight ends first and is closed here, and none starts later.
     */
    void close() {
        KafkaDownlinkConsumer running;
        LinkProbe current;
        synchronized (this) {
            bootstrap = null;
            running = downlink;
            current = probe;
        }
        if (running != null) {
            running.close();
        }
        if (current != null) {
            current.close();
        }
    }
}

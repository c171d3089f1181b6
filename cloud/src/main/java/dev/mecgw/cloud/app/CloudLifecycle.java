package dev.mecgw.cloud.app;

import dev.mecgw.cloud.admin.AdminToken;
import dev.mecgw.cloud.apply.app.ApplyRuntime;
import dev.mecgw.cloud.commands.app.DownlinkProducers;
import dev.mecgw.cloud.kafka.app.KafkaProducers;
import dev.mecgw.cloud.modelrollout.app.ModelRolloutProducers;
import dev.mecgw.cloud.store.app.EmbeddedPostgresLifecycle;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * The cloud's start and stop order in one place: store (datasource and Flyway, by Quarkus before this) → Kafka
 * (embedded broker when none is configured) → apply (consumers) → downlink (resend loop of its outbox) → model
 * rollouts (their tick); reverse on
 * stop.
 */
@ApplicationScoped
public class CloudLifecycle {

    private static final Logger LOG = Logger.getLogger(CloudLifecycle.class);

    @Inject
    AdminToken token;

    @Inject
    KafkaProducers kafka;

    @Inject
    ApplyRuntime apply;

    @Inject
    DownlinkProducers downlink;

    @Inject
    ModelRolloutProducers modelRollouts;

    @Inject
    EmbeddedPostgresLifecycle store;

    void onStart(@Observes StartupEvent event) throws Exception {
        kafka.start();
        apply.start();
        downlink.start();
        modelRollouts.start();
        LOG.infof("MEC Gateway cloud ready; admin token from %s", token.source());
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        modelRollouts.stop();
        downlink.stop();
        apply.stop();
        kafka.stop();
        store.stop();
    }
}

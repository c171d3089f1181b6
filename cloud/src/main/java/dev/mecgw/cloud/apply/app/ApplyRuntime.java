package dev.mecgw.cloud.apply.app;

import dev.mecgw.cloud.apply.ApplyConfig;
import dev.mecgw.cloud.apply.KafkaApplier;
import dev.mecgw.cloud.kafka.KafkaClients;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import org.jboss.logging.Logger;

/** Builds, starts and stops this instance's appliers and exposes their counters as metrics. */
@ApplicationScoped
public class ApplyRuntime {

    private static final Logger LOG = Logger.getLogger(ApplyRuntime.class);

    @Inject
    ApplyConfig config;

    @Inject
    KafkaClients kafka;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MeterRegistry registry;

    private final List<KafkaApplier> appliers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    /** Apply phase of {@code CloudLifecycle}. */
    public synchronized void start() {
        if (!config.enabled() || !appliers.isEmpty()) {
            return;
        }
        for (int i = 0; i < config.consumers(); i++) {
            KafkaApplier applier = new KafkaApplier(kafka.consumer(config.groupId()), dataSource, config.retry());
            Thread thread = new Thread(applier, "cloud-applier-" + i);
            appliers.add(applier);
            threads.add(thread);
            thread.start();
        }
        counter("mecgw.cloud.changes.applied", "Changes written to the typed mirror", KafkaApplier::appliedTotal);
        counter("mecgw.cloud.changes.skipped", "Replayed or outdated changes skipped", KafkaApplier::skippedTotal);
        counter("mecgw.cloud.changes.unmapped", "Changes kept whole in unmapped_rows", KafkaApplier::unmappedTotal);
        counter("mecgw.cloud.records.rejected", "Undecodable records skipped", KafkaApplier::rejectedTotal);
        counter("mecgw.cloud.heartbeats", "Gateway heartbeats recorded", KafkaApplier::heartbeatsTotal);
        LOG.infof("%d applier(s) consuming group %s", config.consumers(), config.groupId());
    }

    private void counter(String name, String help, ToLongFunction<KafkaApplier> value) {
        FunctionCounter.builder(name, this, runtime -> runtime.sum(value))
                .description(help)
                .register(registry);
    }

    private synchronized double sum(ToLongFunction<KafkaApplier> value) {
        return appliers.stream().mapToLong(value).sum();
    }

    /** @return the appliers' states, for the readiness check */
    public synchronized List<KafkaApplier.State> states() {
        return appliers.stream().map(KafkaApplier::state).toList();
    }

    /** @return whether applying is enabled in this instance */
    public boolean enabled() {
        return config.enabled();
    }

    /** Stop phase of {@code CloudLifecycle}: closes every consumer and waits for its thread. */
    public synchronized void stop() throws InterruptedException {
        appliers.forEach(KafkaApplier::close);
        for (Thread thread : threads) {
            thread.join(30_000);
        }
        appliers.clear();
        threads.clear();
    }
}

package dev.mecgw.cloud.modelrollout;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mecgw.cloud.problem.CloudException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.jboss.logging.Logger;

/**
 * Model rollouts across sites (issue 18 item 5), the entry class of the area: accepts a model and its plan, moves
 * every open rollout on each {@link #tick} (sites' reports from their replicated {@code mecgw_model_installs},
 * timeouts, waves), and publishes what the states ask for on each site's {@code <siteId>.models} topic. A state is
 * committed before anything is published and left only after Kafka confirmed, so a crash or a Kafka outage means a
 * retry on the next tick (the gateway applies every chunk and control message once). Thread-safe.
 */
public final class ModelRollouts {

    private static final Logger LOG = Logger.getLogger(ModelRollouts.class);

    private final DataSource dataSource;
    private final PostgresModelRolloutStore store = new PostgresModelRolloutStore();
    private final ModelRolloutPlanner planner;
    private final ModelRolloutMachine machine;
    private final ModelDownlink downlink;
    private final Clock clock;

    /**
     * @param dataSource the cloud database
     * @param producer the Kafka producer; shared, not closed here
     * @param config chunk size, limits, timeouts and gate defaults
     * @param clock decides timeouts
     */
    public ModelRollouts(
            DataSource dataSource, Producer<String, byte[]> producer, ModelRolloutsConfig config, Clock clock) {
        this.dataSource = dataSource;
        this.planner = new ModelRolloutPlanner(config);
        this.machine = new ModelRolloutMachine(clock, config.resendAfter());
        this.downlink = new ModelDownlink(producer, Duration.ofSeconds(30));
        this.clock = clock;
    }

    /**
     * Plans, stores and starts a rollout; its first wave is published by the next tick.
     *
     * @param request the {@code rollout} part: metadata, selector, waves, healthWindow, siteTimeout, maxFailedSites,
     *     gate
     * @param model the ONNX bytes
     * @return the new rollout
     * @throws CloudException BAD_REQUEST naming the field, UNAVAILABLE when the database fails
     */
    public ModelRolloutView create(JsonNode request, byte[] model) {
        String id = UUID.randomUUID().toString();
        inTransaction(connection -> {
            ModelRolloutSpec spec = planner.plan(request, model, knownSites(connection));
            ModelRollout rollout = ModelRollout.plan(id, spec, clock.instant());
            Step step = machine.start(rollout);
            store.insert(connection, rollout, model);
            store.save(connection, rollout, step);
            return null;
        });
        LOG.infof("model rollout %s accepted", id);
        return view(id);
    }

    /** @throws CloudException NOT_FOUND for an unknown id */
    public ModelRolloutView view(String id) {
        return inTransaction(connection -> ModelRolloutViews.of(
                load(connection, id), store.reportDetails(connection, id), store.reports(connection, id)));
    }

    /** Every rollout, newest first. */
    public List<ModelRolloutView> list() {
        List<String> ids = inTransaction(store::all);
        List<ModelRolloutView> views = new ArrayList<>();
        for (String id : ids) {
            views.add(view(id));
        }
        return views;
    }

    /** @throws CloudException NOT_FOUND, or CONFLICT unless running */
    public ModelRolloutView pause(String id, String reason) {
        return change(id, rollout -> machine.pause(rollout, reason));
    }

    /** @throws CloudException NOT_FOUND, or CONFLICT unless paused */
    public ModelRolloutView resume(String id) {
        return change(id, machine::resume);
    }

    /** @throws CloudException NOT_FOUND, or CONFLICT when already over */
    public ModelRolloutView abort(String id, String reason) {
        return change(id, rollout -> machine.abort(rollout, reason));
    }

    /** Moves every open rollout once and publishes what its states ask for; errors are logged, retried next tick. */
    public void tick() {
        List<String> open;
        try {
            open = inTransaction(store::open);
        } catch (CloudException e) {
            LOG.warnf("model rollouts not ticked: %s", e.getMessage());
            return;
        }
        for (String id : open) {
            try {
                Step step = inTransaction(connection -> {
                    ModelRollout rollout = load(connection, id);
                    Step moved = machine.tick(rollout, store.reports(connection, id));
                    store.save(connection, rollout, moved);
                    return moved;
                });
                publish(id, step);
            } catch (RuntimeException e) {
                LOG.warnf(e, "model rollout %s: tick failed, retried next tick: %s", id, e.getMessage());
            }
        }
    }

    private ModelRolloutView change(String id, java.util.function.Function<ModelRollout, Step> action) {
        inTransaction(connection -> {
            ModelRollout rollout = load(connection, id);
            store.save(connection, rollout, action.apply(rollout));
            return null;
        });
        publish(id, new Step());
        return view(id);
    }

    /** Publishes for every site in a publishing state, then the step's resends. */
    private void publish(String id, Step step) {
        ModelRollout rollout = inTransaction(connection -> load(connection, id));
        byte[] model = null;
        for (ModelRollout.Site site : rollout.sites()) {
            boolean confirmed;
            switch (site.state) {
                case SENDING -> {
                    model = model != null ? model : inTransaction(connection -> store.model(connection, id));
                    confirmed = downlink.sendModel(site.siteId, id, rollout.spec, model, all(rollout.spec.chunks()));
                }
                case CANCELLING -> confirmed = downlink.sendControl(site.siteId, id, "model-cancel");
                case REVERTING -> confirmed = downlink.sendControl(site.siteId, id, "model-revert");
                default -> {
                    continue;
                }
            }
            if (confirmed) {
                inTransaction(connection -> {
                    ModelRollout locked = load(connection, id);
                    store.save(connection, locked, machine.published(locked, site.siteId));
                    return null;
                });
            }
        }
        for (Step.Resend resend : step.resends()) {
            model = model != null ? model : inTransaction(connection -> store.model(connection, id));
            LOG.infof(
                    "model rollout %s: publishing %d missing chunk(s) to site %s again",
                    id, resend.chunks().size(), resend.siteId());
            downlink.sendModel(resend.siteId(), id, rollout.spec, model, resend.chunks());
        }
    }

    private static List<Integer> all(int count) {
        List<Integer> all = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            all.add(i);
        }
        return all;
    }

    private ModelRollout load(Connection connection, String id) throws SQLException {
        return store.lock(connection, id).orElseThrow(() -> CloudException.notFound("Model rollout " + id));
    }

    private static List<String> knownSites(Connection connection) throws SQLException {
        List<String> sites = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT site_id FROM sites ORDER BY site_id");
                ResultSet row = query.executeQuery()) {
            while (row.next()) {
                sites.add(row.getString(1));
            }
        }
        return sites;
    }

    private <T> T inTransaction(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw CloudException.unavailable("The cloud database is unavailable", e);
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }
}

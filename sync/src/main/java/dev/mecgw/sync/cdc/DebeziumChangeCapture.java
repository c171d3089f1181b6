package dev.mecgw.sync.cdc;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.apache.commons.lang3.concurrent.BasicThreadFactory;
import org.apache.kafka.connect.source.SourceRecord;
import org.jboss.logging.Logger;

/**
 * {@link ChangeCapture} on a Debezium Embedded engine with the PostgreSQL connector and {@code pgoutput}. Offsets
 * live in the captured database ({@link PostgresOffsetBackingStore}); a change is marked processed only after the
 * sink acknowledged it ({@link AckingBatchHandler}). The entry of the {@code cdc} area: its static factories build
 * what an application shares between its captures (the lane gate) or keeps next to them (retention marks, the reset
 * of a slot).
 */
public final class DebeziumChangeCapture implements ChangeCapture {

    private static final Logger LOG = Logger.getLogger(DebeziumChangeCapture.class);
    /** Full batches that may wait for their acknowledgements while a backlog drains. */
    private static final int PIPELINE_BATCHES = 4;
    /** How long a close waits for an engine still starting its tasks: well inside ExitHook's 60 s for the whole stop. */
    private static final Duration ENGINE_START_WAIT = Duration.ofSeconds(20);

    private final CaptureSettings settings;
    private final ChangeSink sink;
    private final RetentionMarks retention;
    private final LaneGate.Lane lane;
    private final AtomicReference<CaptureState> state = new AtomicReference<>(CaptureState.CREATED);
    private final AtomicReference<String> failure = new AtomicReference<>();
    private final ExecutorService executor;
    private volatile DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private volatile StartBarrier barrier = StartBarrier.none();
    /** Counted down when the engine polls or has ended: from then on it can be closed. */
    private final CountDownLatch polling = new CountDownLatch(1);

    /**
     * @param settings what to capture
     * @param sink where changes go; closed by the caller, not by this capture
     */
    public DebeziumChangeCapture(CaptureSettings settings, ChangeSink sink) {
        this(settings, sink, LaneGate.Lane.NONE);
    }

    /**
     * @param settings what to capture
     * @param sink where changes go; closed by the caller, not by this capture
     * @param lane the capture's place in the priority between critical and bulk tables ({@link LaneGate})
     */
    public DebeziumChangeCapture(CaptureSettings settings, ChangeSink sink, LaneGate.Lane lane) {
        this(settings, sink, lane, RetentionMarks.NONE);
    }

    /**
     * @param settings what to capture
     * @param sink where changes go; closed by the caller, not by this capture
     * @param lane the capture's place in the priority between critical and bulk tables ({@link LaneGate})
     * @param retention which transactions were retention prunes, whose deletes stay at the site
     */
    public DebeziumChangeCapture(
            CaptureSettings settings, ChangeSink sink, LaneGate.Lane lane, RetentionMarks retention) {
        this.settings = settings;
        this.retention = retention;
        this.sink = sink;
        this.lane = lane;
        this.executor = Executors.newSingleThreadExecutor(BasicThreadFactory.builder()
                .namingPattern("mecgw-sync-" + settings.name().replace("%", "%%"))
                .daemon(true)
                .build());
    }

    /**
     * @param maxPause longest wait of one bulk batch for the critical lane
     * @return a gate whose {@link LaneGate#critical()} and {@link LaneGate#bulk()} lanes go to the two captures of
     *     one site
     */
    public static LaneGate laneGate(Duration maxPause) {
        return new LaneGate(maxPause);
    }

    /**
     * @param dataSource the site's database
     * @param table the marker table, {@code [schema.]table} ({@code xid bigint} primary key)
     * @return the retention marks read from that table, cached
     * @throws IllegalArgumentException when {@code table} is not a plain table name
     */
    public static RetentionMarks retentionMarks(DataSource dataSource, String table) {
        return new PostgresRetentionMarks(dataSource, table);
    }

    /**
     * Forgets a stopped capture's position: drops its replication slot (releasing the WAL it holds) and its stored
     * offsets, so that its next start snapshots its tables afresh.
     *
     * @param dataSource the captured database
     * @param slotName the slot to drop; a missing slot is fine
     * @param engineName the capture's name ({@link CaptureSettings#name()}), under which its offsets are stored
     * @throws SQLException when the slot stays active or the database cannot be reached
     * @throws InterruptedException when interrupted while waiting for the slot's sender to end
     */
    public static void resetSlot(DataSource dataSource, String slotName, String engineName)
            throws SQLException, InterruptedException {
        PostgresSlotReset.reset(dataSource, slotName, engineName);
    }

    @Override
    public void start() {
        if (!state.compareAndSet(CaptureState.CREATED, CaptureState.STARTING)) {
            throw new IllegalStateException("capture '" + settings.name() + "' already started");
        }
        // Before anything that can fail: on the critical lane the new session closes the gate (a start that fails
        // leaves it closed, as a first start does), and a handler of an earlier start (one still finishing a batch
        // after a close that gave up waiting) can no longer open or hold it.
        LaneGate.Session session = lane.session();
        long generation;
        try (Connection connection = connect()) {
            generation = PostgresGeneration.resolve(connection, Clock.systemUTC());
        } catch (SQLException e) {
            failure.set("database generation unknown: " + e.getMessage());
            state.set(CaptureState.FAILED);
            LOG.errorf("sync capture '%s' cannot start: %s", settings.name(), failure.get());
            return;
        }
        Properties properties = engineProperties(settings);
        if (lane.tracksWhatIsToCome()) {
            // after the pass-through keys: the critical lane's gate is only exact with BEGIN and END markers
            properties.setProperty("provide.transaction.metadata", "true");
            barrier = StartBarrier.forNewStart(
                    settings.name(), StartBarrier.postgres(this::connect, settings.slotName()), Instant::now);
        }
        int fullBatch = Integer.parseInt(properties.getProperty("max.batch.size"));
        AckingBatchHandler handler = new AckingBatchHandler(
                new ChangeEventMapper(settings.siteId(), generation, retention),
                sink,
                Duration.ofMillis(200),
                // STOPPED too: a close that found the engine still starting must not leave its handler resending
                () -> state.get() == CaptureState.STOPPING || state.get() == CaptureState.STOPPED,
                fullBatch,
                PIPELINE_BATCHES * fullBatch,
                session,
                barrier);
        engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(properties)
                .using(new DebeziumEngine.ConnectorCallback() {
                    @Override
                    public void taskStarted() {
                        state.compareAndSet(CaptureState.STARTING, CaptureState.RUNNING);
                        LOG.infof(
                                "sync capture '%s' streaming %s, generation %d",
                                settings.name(), settings.tables(), generation);
                    }

                    @Override
                    public void pollingStarted() {
                        // not in taskStarted: the engine cannot be closed while its tasks start, and this is a
                        // round trip to the database
                        polling.countDown();
                        barrier.writeWhenDue();
                    }
                })
                .using(this::completed)
                .notifying(handler)
                .build();
        executor.execute(engine);
    }

    /**
     * A connection of this capture's own (the generation, the start barrier), bounded: a database that does not answer
     * must not hold the engine's start or its polling for ever.
     */
    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        if (settings.user() != null) {
            properties.setProperty("user", settings.user());
        }
        if (settings.password() != null) {
            properties.setProperty("password", settings.password());
        }
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("socketTimeout", "30");
        properties.setProperty("options", "-c statement_timeout=10000");
        return DriverManager.getConnection(settings.jdbcUrl(), properties);
    }

    /** @return whether this start's barrier passed because the capture read its message back (tests) */
    boolean startBarrierReadBack() {
        return barrier.readBack();
    }

    @Override
    public CaptureState state() {
        return state.get();
    }

    @Override
    public Optional<String> failure() {
        return Optional.ofNullable(failure.get());
    }

    @Override
    public void close() {
        CaptureState before = state.getAndUpdate(
                s -> s == CaptureState.FAILED || s == CaptureState.STOPPED ? s : CaptureState.STOPPING);
        if (before == CaptureState.STOPPED) {
            return;
        }
        try {
            if (engine != null && before != CaptureState.FAILED) {
                // Debezium refuses to close an engine whose tasks are still starting ("may lead to leaked
                // resources"): the engine would run on, holding its slot, after this capture counted as stopped
                awaitPollingOrEnd();
                engine.close();
            }
        } catch (IOException | IllegalStateException e) {
            // The engine may already have stopped itself; what it had acknowledged is stored either way.
            LOG.debugf("sync capture '%s' was already stopping: %s", settings.name(), e.getMessage());
        } finally {
            executor.shutdown();
            if (before != CaptureState.FAILED) {
                state.set(CaptureState.STOPPED);
            }
        }
    }

    private void awaitPollingOrEnd() {
        try {
            if (!polling.await(ENGINE_START_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                LOG.warnf(
                        "sync capture '%s' still starting after %d s; closing it anyway",
                        settings.name(), ENGINE_START_WAIT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The engine's completion callback. A stop we asked for is not a failure, even when the engine reports one:
     * it may call back after {@link #close()} has already moved the state on to STOPPED, with a task its own executor
     * refused because it was shutting down (seen in a full run: logged at ERROR and left the capture FAILED).
     */
    void completed(boolean success, String message, Throwable error) {
        polling.countDown();
        CaptureState now = state.get();
        if (success || now == CaptureState.STOPPING || now == CaptureState.STOPPED) {
            return;
        }
        failure.set(message);
        state.set(CaptureState.FAILED);
        LOG.errorf(error, "sync capture '%s' stopped: %s", settings.name(), message);
    }

    static Properties engineProperties(CaptureSettings settings) {
        URI db = URI.create(settings.jdbcUrl().substring("jdbc:".length()));
        Properties props = new Properties();
        props.setProperty("name", settings.name());
        props.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        props.setProperty("offset.storage", PostgresOffsetBackingStore.class.getName());
        props.setProperty(
                "offset.flush.interval.ms",
                Long.toString(settings.offsetFlushInterval().toMillis()));
        props.setProperty(PostgresOffsetBackingStore.URL, settings.jdbcUrl());
        props.setProperty(PostgresOffsetBackingStore.STORE, settings.name());
        props.setProperty("database.hostname", db.getHost());
        props.setProperty("database.port", Integer.toString(db.getPort() < 0 ? 5432 : db.getPort()));
        props.setProperty("database.dbname", db.getPath().substring(1));
        if (settings.user() != null) {
            props.setProperty("database.user", settings.user());
            props.setProperty(PostgresOffsetBackingStore.USER, settings.user());
        }
        if (settings.password() != null) {
            props.setProperty("database.password", settings.password());
            props.setProperty(PostgresOffsetBackingStore.PASSWORD, settings.password());
        }
        // Debezium names its metrics MBeans and offset partition after the prefix, so it must be unique per engine;
        // our Kafka topics are named from the site id by the sink, not by Debezium.
        props.setProperty("topic.prefix", settings.name());
        props.setProperty("plugin.name", "pgoutput");
        props.setProperty("slot.name", settings.slotName());
        props.setProperty("publication.name", settings.publicationName());
        props.setProperty("publication.autocreate.mode", "filtered");
        props.setProperty("table.include.list", String.join(",", settings.tables()));
        props.setProperty("decimal.handling.mode", "string");
        props.setProperty("tombstones.on.delete", "false");
        props.setProperty("heartbeat.interval.ms", "10000");
        // Small polls keep the replication lag well under a second with the link up.
        props.setProperty("poll.interval.ms", "50");
        // Larger batches and queue than Debezium's 2048/8192 let a backlog drain in fewer, fuller producer requests.
        props.setProperty("max.batch.size", "4096");
        props.setProperty("max.queue.size", "16384");
        props.putAll(settings.passThrough());
        return props;
    }
}

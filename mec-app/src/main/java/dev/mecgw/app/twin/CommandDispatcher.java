package dev.mecgw.app.twin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.gateway.DaemonThreads;
import dev.mecgw.app.problem.GatewayException;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Hands stored commands to devices and tracks their status (docs/commands.md): a command from the cloud's downlink
 * or the REST API is stored at-site first, then handed to the MQTT broker ({@code devices/{id}/commands/{name}}, QoS 1,
 * queued for offline persistent sessions) and to CoAP observers of {@code /commands}; PUBACK or the CoAP ACK makes it
 * delivered, the device's response acknowledged, and its expiry, before delivery, expired. A device gets the
 * payload's bytes as the gateway received them, whether a command is handed at once, by a sweep or after a restart.
 *
 * <p>Until {@link #start()} (the front-ends are listening) nothing is handed; {@link #start()} and every
 * {@link #sweep()} hand what is stored but not handed yet, so a command stored just before a crash still goes out,
 * once. Store work runs on one thread of its own, so callers on event loops never block.
 */
public class CommandDispatcher implements CommandReceipts, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CommandDispatcher.class);

    private final PostgresCommandLedger ledger;
    private final DeviceMessenger mqtt;
    private final DeviceUpdatePublisher coap;
    private final ObjectMapper json;
    private final CommandPayloadCheck payloads;
    private final ExecutorService store = Executors.newSingleThreadExecutor(DaemonThreads.named("mecgw-commands"));
    /** Ids being handed to the broker right now, so that a sweep does not hand them twice. */
    private final Set<String> handing = ConcurrentHashMap.newKeySet();

    private volatile boolean started;

    CommandDispatcher(
            PostgresCommandLedger ledger, DeviceMessenger mqtt, DeviceUpdatePublisher coap, ObjectMapper json) {
        this.ledger = ledger;
        this.mqtt = mqtt;
        this.coap = coap;
        this.json = json;
        this.payloads = new CommandPayloadCheck(json);
    }

    /**
     * The dispatcher the gateway runs: commands and their statuses in the gateway's PostgreSQL (the outbox the
     * cloud's downlink also writes), handed to MQTT through {@code mqtt} and to CoAP through {@code coap}.
     */
    public static CommandDispatcher onDatabase(
            DataSource dataSource, DeviceMessenger mqtt, DeviceUpdatePublisher coap, ObjectMapper json) {
        return new CommandDispatcher(new PostgresCommandLedger(dataSource), mqtt, coap, json);
    }

    /**
     * The front-ends listen: hands every stored command that is still at-site (to the broker only when it does not
     * hold it yet; to CoAP, which keeps them in memory, always). Blocking.
     */
    public void start() {
        started = true;
        runOnStore(() -> {
            for (PostgresCommandLedger.Pending pending : ledger.pending()) {
                if (pending.handed()) {
                    coap.publishCommand(pending.command());
                } else {
                    hand(pending.command());
                }
            }
        });
    }

    /**
     * Hands a command already stored at-site (by the downlink applier); returns at once. The command is read back
     * from the store, as a sweep reads it, so that the device gets the same bytes whichever of the two hands it, and
     * nothing when a sweep that saw the row first handed it already.
     *
     * @param commandId the id of the stored command
     */
    public void dispatch(String commandId) {
        store.execute(() -> {
            if (!started) {
                return;
            }
            try {
                ledger.pending(commandId)
                        .filter(pending -> !pending.handed())
                        .ifPresent(pending -> hand(pending.command()));
            } catch (GatewayException e) {
                // Stored: the next sweep hands it.
                LOG.warnf("command %s not handed yet: %s", commandId, e.getMessage());
            }
        });
    }

    /**
     * Stores a command issued at the edge as at-site and hands it over. Blocking for the store; call from a worker.
     *
     * @param command the command; its payload is stored and sent byte for byte
     * @return completes once the broker stored it for every offline persistent session; fails UNAVAILABLE when it
     *     could not be stored
     * @throws GatewayException BAD_REQUEST naming {@code payload} when the payload is not one JSON value the command
     *     table stores; nothing is stored then
     */
    public CompletionStage<Void> issue(DeviceCommand command) {
        payloads.require(command.payload());
        // Claimed before its row exists, so that a sweep reading the row meanwhile leaves it to this call.
        handing.add(command.commandId());
        try {
            ledger.storeLocal(command);
        } catch (RuntimeException e) {
            handing.remove(command.commandId());
            throw e;
        }
        return send(command);
    }

    /** Records expired commands and hands what is stored but not handed yet; blocking, run periodically. */
    public void sweep() {
        runOnStore(() -> {
            int expired = ledger.expireDue();
            if (expired > 0) {
                LOG.debugf("%d command(s) expired before delivery", expired);
            }
            if (started) {
                for (PostgresCommandLedger.Pending pending : ledger.pending()) {
                    if (!pending.handed()) {
                        hand(pending.command());
                    }
                }
            }
        });
    }

    /**
     * @return the status of a command of the device; empty for an unknown id
     * @throws GatewayException UNAVAILABLE when the store is down
     */
    public Optional<CommandStatus> status(String deviceId, String commandId) {
        return ledger.status(deviceId, commandId);
    }

    private CompletionStage<Void> hand(DeviceCommand command) {
        if (!handing.add(command.commandId())) {
            return CompletableFuture.completedFuture(null);
        }
        return send(command);
    }

    /** Sends a command claimed in {@link #handing} to MQTT, then CoAP; records it handed and releases the claim. */
    private CompletionStage<Void> send(DeviceCommand command) {
        CompletionStage<Void> sent;
        try {
            sent = mqtt.sendCommand(command);
        } catch (RuntimeException e) {
            handing.remove(command.commandId());
            return CompletableFuture.failedFuture(e);
        }
        return sent.whenComplete((stored, failure) -> {
            if (failure != null) {
                // Left unhanded: the next sweep tries again.
                handing.remove(command.commandId());
                LOG.warnf("command %s not handed to MQTT yet: %s", command.commandId(), failure.getMessage());
                return;
            }
            coap.publishCommand(command);
            store.execute(() -> {
                try {
                    ledger.handed(command.commandId());
                } catch (GatewayException e) {
                    LOG.warnf("command %s handed but not recorded: %s", command.commandId(), e.getMessage());
                } finally {
                    handing.remove(command.commandId());
                }
            });
        });
    }

    @Override
    public void delivered(String deviceId, String commandId) {
        store.execute(() -> {
            try {
                ledger.advance(deviceId, commandId, "delivered", "at-site", "expired");
            } catch (GatewayException e) {
                LOG.warnf("delivery of command %s not recorded: %s", commandId, e.getMessage());
            }
        });
    }

    @Override
    public CompletionStage<Void> responded(String deviceId, String name, String commandId, byte[] response) {
        // A GatewayException (store unavailable) fails the stage; the front-end turns it into its protocol's error.
        return CompletableFuture.runAsync(
                () -> {
                    String id = commandId != null
                            ? commandId
                            : ledger.oldestUnanswered(deviceId, name).orElse(null);
                    if (id == null) {
                        LOG.debugf("response of %s to %s matches no command", deviceId, name);
                        return;
                    }
                    if (ledger.advance(deviceId, id, "acknowledged", "at-site", "delivered", "expired")) {
                        ledger.recordResponse(deviceId, id, name, asJson(response));
                    }
                },
                store);
    }

    /** The response as JSON: as sent when it is JSON, else as a JSON string. */
    private String asJson(byte[] response) {
        try {
            JsonNode node = json.readTree(response);
            return json.writeValueAsString(node == null ? json.nullNode() : node);
        } catch (IOException e) {
            return json.getNodeFactory()
                    .textNode(new String(response, java.nio.charset.StandardCharsets.UTF_8))
                    .toString();
        }
    }

    private void runOnStore(StoreTask task) {
        try {
            store.submit(() -> {
                        task.run();
                        return null;
                    })
                    .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warnf("command store work failed: %s", e.getMessage());
        }
    }

    @Override
    public void close() {
        started = false;
        store.shutdown();
        try {
            store.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @FunctionalInterface
    private interface StoreTask {
        void run();
    }
}

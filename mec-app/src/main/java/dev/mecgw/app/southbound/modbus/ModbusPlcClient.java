package dev.mecgw.app.southbound.modbus;

import com.digitalpetri.modbus.client.ModbusTcpClient;
import com.digitalpetri.modbus.pdu.ReadCoilsRequest;
import com.digitalpetri.modbus.pdu.ReadDiscreteInputsRequest;
import com.digitalpetri.modbus.pdu.ReadHoldingRegistersRequest;
import com.digitalpetri.modbus.pdu.ReadInputRegistersRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.southbound.Backoff;
import dev.mecgw.app.southbound.SouthboundClient;
import dev.mecgw.app.southbound.SouthboundLink;
import dev.mecgw.app.telemetry.Reading;
import dev.mecgw.app.twin.DeviceCommand;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Polls one PLC. Every request is asynchronous on the shared Netty event loops and bounded by the device's timeout;
 * decoding and the hand-off to ingest run on the southbound worker pool. A poll group whose previous poll is still
 * running skips its tick instead of queueing, so a slow PLC builds no backlog and delays no other device. Any failure
 * (connect, timeout, exception response, malformed frame) drops the connection, shows the device offline and
 * pauses polling for a jittered, doubling backoff; the next poll reconnects.
 */
final class ModbusPlcClient implements SouthboundClient {

    private final ModbusSettings settings;
    private final SouthboundLink link;
    private final ModbusConnection connection;
    private final ObjectMapper json;
    private final Backoff backoff;
    private final List<ScheduledFuture<?>> schedules = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** No poll before this instant (backoff after a failure); guarded by this. */
    private Instant pausedUntil = Instant.MIN;

    ModbusPlcClient(ModbusSettings settings, SouthboundLink link, ModbusConnection connection, ObjectMapper json) {
        this.settings = settings;
        this.link = link;
        this.connection = connection;
        this.json = json;
        this.backoff = link.backoff();
    }

    @Override
    public void start() {
        ReadPlan.of(settings.registers()).forEach((interval, blocks) -> {
            PollGroup group = new PollGroup(blocks);
            schedules.add(link.timers().scheduleAtFixedRate(group::tick, 0, interval, TimeUnit.MILLISECONDS));
        });
    }

    /** The blocks polled at one interval, with its in-flight flag. */
    private final class PollGroup {
        private final List<ReadPlan.Block> blocks;
        private final AtomicBoolean inFlight = new AtomicBoolean();

        PollGroup(List<ReadPlan.Block> blocks) {
            this.blocks = blocks;
        }

        void tick() {
            if (closed.get() || paused() || !inFlight.compareAndSet(false, true)) {
                return;
            }
            Instant at = link.clock().instant();
            poll().thenApplyAsync(responses -> decode(blocks, responses, at), link.workers())
                    .thenCompose(link::submit)
                    .whenComplete((done, failure) -> {
                        inFlight.set(false);
                        if (failure == null) {
                            succeeded();
                        } else {
                            failed(failure);
                        }
                    });
        }

        /** Reads the blocks one after another: many PLCs serve one transaction at a time. */
        private CompletableFuture<List<byte[]>> poll() {
            CompletableFuture<List<byte[]>> chain = connection.connected().thenApply(c -> new ArrayList<>());
            for (ReadPlan.Block block : blocks) {
                chain = chain.thenCompose(read -> read(block).thenApply(bytes -> {
                    read.add(bytes);
                    return read;
                }));
            }
            return chain;
        }
    }

    private CompletionStage<byte[]> read(ReadPlan.Block block) {
        ModbusTcpClient client = connection.client();
        int unit = settings.unitId();
        return switch (block.table()) {
            case COIL ->
                client.readCoilsAsync(unit, new ReadCoilsRequest(block.start(), block.count()))
                        .thenApply(r -> r.coils());
            case DISCRETE ->
                client.readDiscreteInputsAsync(unit, new ReadDiscreteInputsRequest(block.start(), block.count()))
                        .thenApply(r -> r.inputs());
            case INPUT ->
                client.readInputRegistersAsync(unit, new ReadInputRegistersRequest(block.start(), block.count()))
                        .thenApply(r -> r.registers());
            case HOLDING ->
                client.readHoldingRegistersAsync(unit, new ReadHoldingRegistersRequest(block.start(), block.count()))
                        .thenApply(r -> r.registers());
        };
    }

    /** Scaled readings of a poll's blocks; a response shorter than requested is a protocol error. */
    private List<Reading> decode(List<ReadPlan.Block> blocks, List<byte[]> responses, Instant at) {
        List<Reading> readings = new ArrayList<>();
        for (int b = 0; b < blocks.size(); b++) {
            ReadPlan.Block block = blocks.get(b);
            byte[] bytes = responses.get(b);
            int needed = block.table().bits() ? (block.count() + 7) / 8 : block.count() * 2;
            if (bytes.length < needed) {
                throw new IllegalStateException("short response: " + bytes.length + " bytes for " + block.count() + " "
                        + block.table().label() + " values");
            }
            for (RegisterSpec spec : block.specs()) {
                int index = spec.address() - block.start();
                double raw = block.table().bits()
                        ? (bytes[index / 8] >> (index % 8)) & 1
                        : RegisterCodec.decode(spec, bytes, index * 2);
                Reading.Kind kind = block.table().bits() ? Reading.Kind.BOOLEAN : Reading.Kind.NUMBER;
                double value = block.table().bits() ? raw : raw * spec.scale() + spec.offset();
                readings.add(new Reading(link.deviceId(), spec.metric(), at, value, spec.unit(), kind));
            }
        }
        return readings;
    }

    private synchronized boolean paused() {
        return link.clock().instant().isBefore(pausedUntil);
    }

    private synchronized void succeeded() {
        backoff.reset();
        link.online();
    }

    private synchronized void failed(Throwable failure) {
        if (closed.get()) {
            return;
        }
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        // Drop the connection: after a timeout or a garbled frame the stream's framing cannot be trusted.
        connection.drop();
        pausedUntil = link.clock().instant().plus(backoff.nextDelay());
        link.offline(describe(cause));
    }

    /** A client-safe description: the failure's kind and message, never a stack trace. */
    static String describe(Throwable cause) {
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    @Override
    public CompletionStage<JsonNode> execute(DeviceCommand command) {
        if (!"write".equals(command.name())) {
            return CompletableFuture.failedFuture(
                    GatewayException.badField("name", "modbus devices take the command write"));
        }
        ModbusWrite write;
        try {
            write = ModbusWrite.parse(settings, json.readTree(command.payload()));
        } catch (IOException e) {
            return CompletableFuture.failedFuture(GatewayException.badField("$", "must be a JSON object"));
        } catch (GatewayException e) {
            return CompletableFuture.failedFuture(e);
        }
        return connection
                .connected()
                .thenCompose(c -> write.send(connection.client(), settings.unitId()))
                .handle((done, failure) -> {
                    if (failure != null) {
                        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                                ? failure.getCause()
                                : failure;
                        throw new CompletionException(
                                new GatewayException(ErrorKind.UNAVAILABLE, "write failed: " + describe(cause), cause));
                    }
                    ObjectNode result = json.createObjectNode();
                    result.put("metric", write.spec().metric());
                    result.put("value", write.value());
                    return (JsonNode) result;
                });
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            schedules.forEach(s -> s.cancel(false));
            connection.close();
        }
    }
}

package dev.mecgw.app.southbound.sparkplug;

import dev.mecgw.app.acl.SparkplugTopic;
import dev.mecgw.app.gateway.DaemonThreads;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.registry.Device;
import dev.mecgw.app.registry.DeviceRegistry;
import dev.mecgw.app.registry.DeviceRequest;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The registry work of the Sparkplug host, off the event loop on one ordered thread with a bounded queue: the group an
 * edge node is registered for, the auto-registration of its devices, and presence. A full queue fails the call with
 * UNAVAILABLE rather than queueing without bound. Thread-safe.
 */
final class SparkplugRegistrations implements AutoCloseable {

    /** The label of an edge node's device naming its Sparkplug group; required for its births to be accepted. */
    static final String GROUP_LABEL = "sparkplug.group";
    /** The label of an auto-registered Sparkplug device naming its edge node's device id. */
    static final String NODE_LABEL = "sparkplug.node";
    /** The label of an auto-registered Sparkplug device holding its Sparkplug device id. */
    static final String DEVICE_LABEL = "sparkplug.device";

    private static final Logger LOG = Logger.getLogger(SparkplugRegistrations.class);
    /** The registry's id rule (DeviceRequest), which a device id built from node and Sparkplug device must meet. */
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

    private final DeviceRegistry registry;
    private final Clock clock;
    private final ThreadPoolExecutor thread;
    private final BiConsumer<String, Boolean> presenceListener;

    /** @param presenceListener told of every presence change at once, before the registry write; must not block */
    SparkplugRegistrations(
            DeviceRegistry registry, Clock clock, int maxQueued, BiConsumer<String, Boolean> presenceListener) {
        this.registry = registry;
        this.clock = clock;
        this.presenceListener = presenceListener;
        this.thread = new ThreadPoolExecutor(
                1,
                1,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(maxQueued),
                DaemonThreads.named("mecgw-sparkplug-registry"));
    }

    /** The gateway device id of a Sparkplug device: {@code {node}:{device}}, empty when it breaks the id rule. */
    static Optional<String> deviceId(String nodeDeviceId, String device) {
        String id = nodeDeviceId + ":" + device;
        return DEVICE_ID.matcher(id).matches() ? Optional.of(id) : Optional.empty();
    }

    /** The group an edge node's device is registered for; empty when it is not a Sparkplug node or has no group label. */
    CompletionStage<Optional<String>> groupOf(String nodeDeviceId) {
        return call(() -> registry.find(nodeDeviceId)
                .filter(device -> SparkplugTopic.NODE_DEVICE_TYPE.equals(device.type()))
                .map(device -> device.labels().get(GROUP_LABEL)));
    }

    /**
     * Registers a Sparkplug device under its edge node unless it is registered already.
     *
     * @return fails FORBIDDEN when the id belongs to a device that is not this node's Sparkplug device
     */
    CompletionStage<Void> ensureDevice(String nodeDeviceId, String group, String device, String gatewayId) {
        return call(() -> {
            Optional<Device> existing = registry.find(gatewayId);
            if (existing.isEmpty()) {
                try {
                    registry.create(new DeviceRequest(
                            gatewayId,
                            SparkplugTopic.NODE_DEVICE_TYPE,
                            Map.of(NODE_LABEL, nodeDeviceId, GROUP_LABEL, group, DEVICE_LABEL, device),
                            null,
                            null,
                            null));
                    return null;
                } catch (GatewayException e) {
                    if (e.kind() != ErrorKind.CONFLICT) {
                        throw e;
                    }
                    // Registered meanwhile (by the operator): check whose it is below.
                    existing = registry.find(gatewayId);
                }
            }
            if (existing.isPresent()
                    && !nodeDeviceId.equals(existing.get().labels().get(NODE_LABEL))) {
                throw new GatewayException(
                        ErrorKind.FORBIDDEN, "Device id " + gatewayId + " belongs to another device than this node's");
            }
            return null;
        });
    }

    /** Records presence in order with the registrations; failures are logged, never thrown. */
    void presence(String deviceId, boolean online) {
        presenceListener.accept(deviceId, online);
        try {
            thread.execute(() -> {
                try {
                    registry.updatePresence(deviceId, online, clock.instant());
                } catch (RuntimeException e) {
                    LOG.warnf("Presence of %s not recorded: %s", deviceId, e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.warnf("Presence of %s not recorded: registry queue full", deviceId);
        }
    }

    private <T> CompletionStage<T> call(Supplier<T> task) {
        try {
            return CompletableFuture.supplyAsync(task, thread);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(
                    new GatewayException(ErrorKind.UNAVAILABLE, "Sparkplug registry queue full; retry later"));
        }
    }

    @Override
    public void close() {
        thread.shutdown();
    }
}

package dev.mecgw.app.coap;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link FrameSink} used until the inference pipeline is connected: keeps only the latest frame of each
 * device in memory, so memory stays bounded by the number of devices.
 */
public class LatestFrameSink implements FrameSink {

    private final Map<String, Frame> latest = new ConcurrentHashMap<>();

    @Override
    public CompletionStage<Void> accept(Frame frame) {
        latest.put(frame.deviceId(), frame);
        return CompletableFuture.completedFuture(null);
    }

    /** The latest frame received from a device. */
    public Optional<Frame> latest(String deviceId) {
        return Optional.ofNullable(latest.get(deviceId));
    }
}

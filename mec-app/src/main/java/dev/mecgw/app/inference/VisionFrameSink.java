package dev.mecgw.app.inference;

import dev.mecgw.app.frames.Frame;
import dev.mecgw.app.frames.FrameSink;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.registry.DeviceRegistry;
import dev.mecgw.inference.onnx.InferenceException;
import dev.mecgw.inference.onnx.InferenceWorkers;
import dev.mecgw.inference.vision.CameraFrame;
import dev.mecgw.inference.vision.FrameDecoder;
import dev.mecgw.inference.vision.VisionPipeline;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Hands frames from every front-end (CoAP Block1, MQTT {@code devices/{id}/frames}) to the vision pipeline, after
 * two checks on an inference worker (issue 15): the sender must be of a frame-sending device type, and the image
 * header must state at most {@code mecgw.inference.max-frame-pixels} pixels, read without decoding, so that a
 * decompression bomb is refused before it costs heap. Refusals are BAD_REQUEST (too large, not an image) or
 * FORBIDDEN (not a camera). The pipeline keeps the newest frame per camera and counts the ones it replaces, so a
 * camera sending faster than inference runs is throttled by dropping, not by stalling its protocol.
 */
public class VisionFrameSink implements FrameSink {

    private final VisionPipeline vision;
    private final DeviceRegistry registry;
    private final InferenceWorkers workers;
    private final FramePolicy policy;
    private final MeterRegistry meters;

    /**
     * What a frame must satisfy before it is queued.
     *
     * @param deviceTypes registry device types that may send frames
     * @param maxPixels most pixels (width times height) a frame may state
     */
    public record FramePolicy(Set<String> deviceTypes, long maxPixels) {}

    public VisionFrameSink(
            VisionPipeline vision,
            DeviceRegistry registry,
            InferenceWorkers workers,
            FramePolicy policy,
            MeterRegistry meters) {
        this.vision = vision;
        this.registry = registry;
        this.workers = workers;
        this.policy = policy;
        this.meters = meters;
    }

    @Override
    public CompletionStage<Void> accept(Frame frame) {
        // On a worker: the registry lookup blocks, and even a header read should not run on an event loop.
        CompletableFuture<Void> accepted = new CompletableFuture<>();
        workers.submit(() -> {
                    admit(frame);
                    vision.submit(new CameraFrame(frame.deviceId(), frame.data(), frame.receivedAt()));
                    return null;
                })
                // Completed by hand, not by a dependent stage: that would wrap the refusal in a
                // CompletionException, which the front-ends would answer as an internal error.
                .whenComplete((ok, e) -> {
                    if (e == null) {
                        accepted.complete(null);
                    } else {
                        accepted.completeExceptionally(refusal(e));
                    }
                });
        return accepted;
    }

    private void admit(Frame frame) {
        String type = registry.find(frame.deviceId()).map(d -> d.type()).orElse(null);
        if (type == null || !policy.deviceTypes().contains(type)) {
            refused("device-type");
            throw new GatewayException(
                    ErrorKind.FORBIDDEN, "Only devices of type " + policy.deviceTypes() + " may send frames");
        }
        FrameDecoder.FrameSize size;
        try {
            size = FrameDecoder.size(frame.data());
        } catch (InferenceException e) {
            refused("not-an-image");
            throw InferenceProblems.toGateway(e);
        }
        if (size.pixels() > policy.maxPixels()) {
            refused("too-many-pixels");
            throw new GatewayException(
                    ErrorKind.BAD_REQUEST,
                    "Frame of " + size.width() + "x" + size.height() + " pixels exceeds the budget of "
                            + policy.maxPixels() + " pixels");
        }
    }

    private void refused(String reason) {
        meters.counter("mecgw.inference.frames.refused", "reason", reason).increment();
    }

    private static GatewayException refusal(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof GatewayException g) {
            return g;
        }
        if (cause instanceof InferenceException ie) {
            return ie.reason() == InferenceException.Reason.BUSY
                    ? new GatewayException(ErrorKind.QUOTA_EXCEEDED, "Vision pipeline saturated; retry later", ie)
                    : InferenceProblems.toGateway(ie);
        }
        return new GatewayException(ErrorKind.INTERNAL, "Frame not accepted", cause);
    }
}

package dev.mecgw.app.inference;

import dev.mecgw.app.frames.Frame;
import dev.mecgw.app.frames.FrameSink;
import dev.mecgw.inference.vision.VisionPipeline;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Hands frames from every front-end (CoAP Block1, MQTT {@code devices/{id}/frames}) to the vision pipeline.
 * Accepting never blocks: the pipeline keeps the newest frame per camera and counts the ones it replaces,
 * so a camera sending faster than inference runs is throttled by dropping, not by stalling its protocol.
 */
public class VisionFrameSink implements FrameSink {

    private final VisionPipeline vision;

    public VisionFrameSink(VisionPipeline vision) {
        this.vision = vision;
    }

    @Override
    public CompletionStage<Void> accept(Frame frame) {
        vision.submit(new dev.mecgw.inference.vision.CameraFrame(frame.deviceId(), frame.data(), frame.receivedAt()));
        return CompletableFuture.completedFuture(null);
    }
}

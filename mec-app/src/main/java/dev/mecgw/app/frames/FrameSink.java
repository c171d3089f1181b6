package dev.mecgw.app.frames;

import java.util.concurrent.CompletionStage;

/**
 * Where received camera frames go (the inference vision pipeline), whatever protocol brought them.
 * Must not block the caller.
 */
public interface FrameSink {

    /**
     * Accepts a frame.
     *
     * @return completes when the frame is accepted; fails with a GatewayException (QUOTA_EXCEEDED when the
     *     pipeline is saturated) otherwise
     */
    CompletionStage<Void> accept(Frame frame);
}

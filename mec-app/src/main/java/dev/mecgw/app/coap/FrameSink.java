package dev.mecgw.app.coap;

import java.util.concurrent.CompletionStage;

/**
 * Where received camera frames go (the inference pipeline). Must not block the caller.
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

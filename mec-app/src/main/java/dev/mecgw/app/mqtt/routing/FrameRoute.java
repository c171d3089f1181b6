package dev.mecgw.app.mqtt.routing;

import dev.mecgw.app.acl.DeviceTopic;
import dev.mecgw.app.acl.Principal;
import dev.mecgw.app.frames.Frame;
import dev.mecgw.app.frames.FrameSink;
import dev.mecgw.app.mqtt.persistence.BrokerMessage;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.time.Instant;

/**
 * {@code devices/{id}/frames}: a camera frame (JPEG or PNG, one message) goes to the vision pipeline (and,
 * like any message, to local subscribers the ACL allows; frames never go to the cloud). Acknowledged once
 * the pipeline took it; the
 * pipeline keeps only the newest frame per camera, so a fast camera is throttled by drops, not by acks.
 */
public class FrameRoute implements PublishRoute {

    private static final DeviceTopic TOPIC = new DeviceTopic("/frames");

    private final FrameSink frames;
    private final Context context;

    /** The pipeline answers on its own thread; {@code context} brings the answer back to the broker's event loop. */
    public FrameRoute(FrameSink frames, Context context) {
        this.frames = frames;
        this.context = context;
    }

    @Override
    public boolean handles(String topic) {
        return TOPIC.matches(topic);
    }

    @Override
    public Future<Void> handle(Principal publisher, BrokerMessage message) {
        String deviceId = TOPIC.deviceId(message.topic());
        return Future.fromCompletionStage(
                frames.accept(new Frame(deviceId, -1, message.payload(), Instant.now())), context);
    }
}

package dev.mecgw.ran.event;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test fixture: keeps every recorded event in memory. */
public final class RecordingEventSink implements NetworkEventSink {

    private final List<NetworkEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void record(NetworkEvent event) {
        events.add(event);
    }

    /** Events recorded so far, oldest first. */
    public List<NetworkEvent> events() {
        return events;
    }

    /** Kinds of the events recorded so far. */
    public List<String> kinds() {
        return events.stream().map(NetworkEvent::kind).toList();
    }
}

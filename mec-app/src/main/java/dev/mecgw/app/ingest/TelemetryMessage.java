package dev.mecgw.app.ingest;

import dev.mecgw.app.telemetry.Reading;
import java.util.List;

/**
 * The payload of the {@link TelemetryChannels#INGEST} channel: the readings of one device message. A concrete type
 * rather than a bare {@code List<Reading>} because the messaging runtime looks for a payload converter on every
 * message whose payload class is not exactly the consumer's declared type (a generic list never is), and that
 * lookup path costs more than the rest of the channel.
 *
 * @param readings readings of one device message, in payload order
 */
public record TelemetryMessage(List<Reading> readings) {}

package dev.mecgw.app.ingest;

import dev.mecgw.app.telemetry.Reading;
import java.util.List;

/**
 * Observes readings after they are committed, whatever front-end brought them (e.g. the sensor inference
 * pipeline). Called on an ingest writer thread: implementations must hand work off and return at once;
 * an exception is logged and never affects ingest.
 */
public interface CommittedTelemetryListener {

    /** @param readings one committed batch, in arrival order; not to be modified */
    void committed(List<Reading> readings);
}

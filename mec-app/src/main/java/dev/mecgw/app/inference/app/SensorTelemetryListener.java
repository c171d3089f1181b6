package dev.mecgw.app.inference.app;

import dev.mecgw.app.ingest.TelemetryChannels;
import dev.mecgw.app.telemetry.Reading;
import dev.mecgw.inference.sensor.SensorPipeline;
import dev.mecgw.inference.sensor.SensorReading;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Feeds every committed reading (MQTT, CoAP; the {@link TelemetryChannels#COMMITTED} channel) into the sensor pipeline's sliding windows while a sensor model
 * is installed; without one, batches are skipped before any copying or windowing. Scoring runs on the
 * inference workers; a saturated pool or a failed run costs the windows, never ingest.
 */
@ApplicationScoped
public class SensorTelemetryListener {

    private static final Logger LOG = Logger.getLogger(SensorTelemetryListener.class);

    private final SensorPipeline sensors;

    public SensorTelemetryListener(SensorPipeline sensors) {
        this.sensors = sensors;
    }

    @Incoming(TelemetryChannels.COMMITTED)
    public void committed(List<Reading> readings) {
        if (!sensors.active()) {
            return;
        }
        List<SensorReading> window = readings.stream()
                .map(r -> new SensorReading(r.deviceId(), r.metric(), r.ts(), r.value()))
                .toList();
        sensors.accept(window).exceptionally(e -> {
            LOG.debugf("Sensor windows not scored: %s", e.getMessage());
            return List.of();
        });
    }
}

package dev.mecgw.app.inference.app;

import dev.mecgw.app.gateway.DaemonThreads;
import dev.mecgw.app.gateway.LifecyclePhase;
import dev.mecgw.app.inference.DeviceTypes;
import dev.mecgw.app.ingest.TelemetryChannels;
import dev.mecgw.app.registry.DeviceRegistry;
import dev.mecgw.app.telemetry.Reading;
import dev.mecgw.inference.sensor.SensorPipeline;
import dev.mecgw.inference.sensor.SensorReading;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Feeds every committed reading (MQTT, CoAP; the {@link TelemetryChannels#COMMITTED} channel) into the sensor
 * pipeline's sliding windows while a sensor model is installed; without one, batches are skipped before any copying
 * or windowing. Each model gets only the readings of its metrics and device types (issue 23); device types are added
 * only while a model is limited to some. Scoring runs on the inference workers; a saturated pool or a failed run
 * costs the windows, never ingest.
 */
@ApplicationScoped
public class SensorTelemetryListener {

    private static final Logger LOG = Logger.getLogger(SensorTelemetryListener.class);

    private final SensorPipeline sensors;
    private final UnaryOperator<String> typeOf;
    private final ThreadPoolExecutor loader;

    /** A listener that knows no device types (tests): type-scoped models score nothing. */
    public SensorTelemetryListener(SensorPipeline sensors) {
        this.sensors = sensors;
        this.typeOf = id -> null;
        this.loader = null;
    }

    @Inject
    public SensorTelemetryListener(SensorPipeline sensors, DeviceRegistry devices) {
        this.sensors = sensors;
        this.loader = new ThreadPoolExecutor(
                1,
                1,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(1024),
                DaemonThreads.named("mecgw-sensor-device-types"));
        this.typeOf = new DeviceTypes(devices, loader, Clock.systemUTC())::typeOf;
    }

    @Incoming(TelemetryChannels.COMMITTED)
    public void committed(List<Reading> readings) {
        if (!sensors.active()) {
            return;
        }
        boolean typed = sensors.needsDeviceTypes();
        List<SensorReading> window = readings.stream()
                .map(r -> new SensorReading(
                        r.deviceId(), r.metric(), r.ts(), r.value(), typed ? typeOf.apply(r.deviceId()) : null))
                .toList();
        sensors.accept(window).exceptionally(e -> {
            LOG.debugf("Sensor windows not scored: %s", e.getMessage());
            return List.of();
        });
    }

    void stop(@Observes @Priority(LifecyclePhase.Order.INFERENCE_STOP) ShutdownEvent event) {
        if (loader != null) {
            loader.shutdownNow();
        }
    }
}

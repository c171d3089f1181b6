package dev.mecgw.app.inference;

import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.telemetry.Reading;
import dev.mecgw.app.telemetry.TelemetryStore;
import dev.mecgw.inference.model.ModelMetadata;
import dev.mecgw.inference.model.ModelRegistry;
import dev.mecgw.inference.sensor.RobustZScoreFitter;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** Fits the default sensor anomaly model on stored telemetry and installs it like an upload. Blocks. */
public class SensorModelFitting {

    private static final DateTimeFormatter VERSION =
            DateTimeFormatter.ofPattern("'fit-'yyyyMMdd'-'HHmmssSSS").withZone(ZoneOffset.UTC);

    private final TelemetryStore telemetry;
    private final ModelRegistry registry;
    private final Clock clock;

    public SensorModelFitting(TelemetryStore telemetry, ModelRegistry registry, Clock clock) {
        this.telemetry = telemetry;
        this.registry = registry;
        this.clock = clock;
    }

    /**
     * @param name registry name to install under
     * @param window readings per window, as the sensor pipeline cuts them
     * @return the installed model's metadata; its version is {@code fit-<UTC time to the millisecond>}
     * @throws GatewayException bad request when the devices hold less than one window of readings
     */
    public ModelMetadata fit(String name, int window, FitRequest request) {
        int limit = request.maxReadings() == null ? 10_000 : request.maxReadings();
        List<double[]> series = new ArrayList<>();
        for (String device : request.deviceIds()) {
            // The store answers newest first; windows need time order.
            List<Reading> readings =
                    new ArrayList<>(telemetry.query(device, request.metric(), request.from(), request.to(), limit));
            java.util.Collections.reverse(readings);
            series.add(readings.stream().mapToDouble(Reading::value).toArray());
        }
        long total = series.stream().mapToLong(s -> s.length).sum();
        if (total < window) {
            throw GatewayException.badField(
                    "deviceIds",
                    "the devices hold " + total + " readings of '" + request.metric() + "' in that range; at least "
                            + window + " are needed");
        }
        RobustZScoreFitter.Fitted fitted = new RobustZScoreFitter()
                .fit(
                        name,
                        VERSION.format(clock.instant()),
                        series,
                        window,
                        request.margin() == null ? 1.5 : request.margin());
        // The model names its metric, so the pipeline feeds it only that metric's windows (issue 23).
        return registry.install(fitted.metadata().withMetrics(List.of(request.metric())), fitted.onnx());
    }
}

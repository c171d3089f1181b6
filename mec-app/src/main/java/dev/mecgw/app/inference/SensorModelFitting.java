package dev.mecgw.app.inference;

import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.registry.Device;
import dev.mecgw.app.registry.DeviceFilter;
import dev.mecgw.app.registry.DeviceRegistry;
import dev.mecgw.app.telemetry.Reading;
import dev.mecgw.app.telemetry.TelemetryStore;
import dev.mecgw.inference.model.ModelMetadata;
import dev.mecgw.inference.model.ModelRegistry;
import dev.mecgw.inference.sensor.RobustZScoreFitter;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Fits sensor anomaly models on stored telemetry and installs them like uploads, one per metric, each scoped to its
 * metric (and device type) so that the pipeline feeds it only those windows (issue 23). Blocks.
 */
public class SensorModelFitting {

    private static final DateTimeFormatter VERSION =
            DateTimeFormatter.ofPattern("'fit-'yyyyMMdd'-'HHmmssSSS").withZone(ZoneOffset.UTC);
    private static final Pattern METRIC_SUFFIX = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    private static final int MAX_TYPE_DEVICES = 1000;
    private static final int MAX_METRICS = 32;

    private final TelemetryStore telemetry;
    private final ModelRegistry registry;
    private final DeviceRegistry devices;
    private final Clock clock;

    public SensorModelFitting(TelemetryStore telemetry, ModelRegistry registry, DeviceRegistry devices, Clock clock) {
        this.telemetry = telemetry;
        this.registry = registry;
        this.devices = devices;
        this.clock = clock;
    }

    /**
     * @param name registry name; a {@code metric} fit installs under it, a {@code metrics} fit under
     *     {@code <name>.<metric>} each
     * @param window readings per window, as the sensor pipeline cuts them
     * @return the installed models' metadata, in request order; versions are {@code fit-<UTC time to the millisecond>}
     * @throws GatewayException bad request naming the field: no or both of metric/metrics, a metric unfit for a
     *     model name, no devices, or devices holding less than one window of readings
     */
    public List<ModelMetadata> fit(String name, int window, FitRequest request) {
        List<String> metrics = metrics(name, request);
        List<String> deviceIds = trainingDevices(request);
        List<String> types = blank(request.deviceType()) ? List.of() : List.of(request.deviceType());
        // Check every metric's data before installing any, so that a refused request installs nothing.
        List<List<double[]>> data = new ArrayList<>();
        for (int i = 0; i < metrics.size(); i++) {
            data.add(series(
                    metrics.get(i),
                    deviceIds,
                    window,
                    request,
                    request.metric() != null ? "deviceIds" : "metrics[" + i + "]"));
        }
        String version = VERSION.format(clock.instant());
        List<ModelMetadata> installed = new ArrayList<>();
        for (int i = 0; i < metrics.size(); i++) {
            String model = request.metric() != null ? name : name + "." + metrics.get(i);
            RobustZScoreFitter.Fitted fitted = new RobustZScoreFitter()
                    .fit(model, version, data.get(i), window, request.margin() == null ? 1.5 : request.margin());
            installed.add(registry.install(fitted.metadata().withScope(List.of(metrics.get(i)), types), fitted.onnx()));
        }
        return installed;
    }

    private static List<String> metrics(String name, FitRequest request) {
        boolean one = !blank(request.metric());
        boolean several = request.metrics() != null;
        if (one == several) {
            throw GatewayException.badField(
                    one ? "metrics" : "metric", "give either metric (one model) or metrics (one model per metric)");
        }
        if (one) {
            return List.of(request.metric());
        }
        if (request.metrics().isEmpty() || request.metrics().size() > MAX_METRICS) {
            throw GatewayException.badField("metrics", "name 1 to " + MAX_METRICS + " metrics");
        }
        List<String> metrics = request.metrics();
        for (int i = 0; i < metrics.size(); i++) {
            String metric = metrics.get(i);
            if (metric == null
                    || !METRIC_SUFFIX.matcher(metric).matches()
                    || name.length() + 1 + metric.length() > 64) {
                throw GatewayException.badField(
                        "metrics[" + i + "]",
                        "a metric fitted in a metrics list becomes part of the model name '" + name
                                + ".<metric>': lower-case letters, digits, '.', '_' and '-', at most 64 in all");
            }
        }
        if (new HashSet<>(metrics).size() != metrics.size()) {
            throw GatewayException.badField("metrics", "each metric at most once");
        }
        return metrics;
    }

    private List<String> trainingDevices(FitRequest request) {
        if (request.deviceIds() != null && !request.deviceIds().isEmpty()) {
            for (int i = 0; i < request.deviceIds().size(); i++) {
                if (blank(request.deviceIds().get(i))) {
                    throw GatewayException.badField("deviceIds[" + i + "]", "must not be blank");
                }
            }
            return request.deviceIds();
        }
        if (blank(request.deviceType())) {
            throw GatewayException.badField("deviceIds", "name the training devices, or a deviceType");
        }
        List<String> ids =
                devices
                        .list(new DeviceFilter(request.deviceType(), null, null, null), 0, MAX_TYPE_DEVICES)
                        .items()
                        .stream()
                        .map(Device::id)
                        .toList();
        if (ids.isEmpty()) {
            throw GatewayException.badField("deviceType", "no device of type '" + request.deviceType() + "'");
        }
        return ids;
    }

    private List<double[]> series(String metric, List<String> deviceIds, int window, FitRequest request, String field) {
        int limit = request.maxReadings() == null ? 10_000 : request.maxReadings();
        List<double[]> series = new ArrayList<>();
        for (String device : deviceIds) {
            // The store answers newest first; windows need time order.
            List<Reading> readings =
                    new ArrayList<>(telemetry.query(device, metric, request.from(), request.to(), limit));
            Collections.reverse(readings);
            series.add(readings.stream().mapToDouble(Reading::value).toArray());
        }
        long total = series.stream().mapToLong(s -> s.length).sum();
        if (total < window) {
            throw GatewayException.badField(
                    field,
                    "the devices hold " + total + " readings of '" + metric + "' in that range; at least " + window
                            + " are needed");
        }
        return series;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}

package dev.mecgw.app.inference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.store.Jdbc;
import dev.mecgw.inference.model.ModelMetadata;
import dev.mecgw.inference.model.ModelRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * What the cameras see and how the models do, for the console's cameras screen (issue 19): the newest vision result
 * per camera with its boxes and thumbnail, the detection rate, and each model's current version with its latency
 * percentiles. Reads the event log (vision results are events) and the inference meters; blocking.
 */
public class CameraOverview {

    private static final String LATEST = "SELECT DISTINCT ON (device_id) id, ts, device_id, kind, payload::text"
            + " FROM events WHERE ts >= ? AND kind IN ('inference.detection', 'inference.classification')"
            + " ORDER BY device_id, ts DESC, id DESC LIMIT ?";

    private static final String RATE = "SELECT count(*), COALESCE(sum(jsonb_array_length(payload -> 'detections')), 0)"
            + " FROM events WHERE ts >= ? AND kind = 'inference.detection' AND jsonb_typeof(payload -> 'detections')"
            + " = 'array'";

    private final Jdbc jdbc;
    private final ObjectMapper json;
    private final ModelRegistry models;
    private final MeterRegistry meters;
    private final Path thumbnails;
    private final Clock clock;

    /** @param thumbnails the folder the vision pipeline keeps thumbnails in */
    public CameraOverview(
            DataSource dataSource,
            ObjectMapper json,
            ModelRegistry models,
            MeterRegistry meters,
            Path thumbnails,
            Clock clock) {
        this.jdbc = new Jdbc(dataSource, "Event log");
        this.json = json;
        this.models = models;
        this.meters = meters;
        this.thumbnails = thumbnails.toAbsolutePath().normalize();
        this.clock = clock;
    }

    /**
     * The newest vision result of each camera that had one within {@code window}, by camera id.
     *
     * @param limit most cameras listed
     */
    public List<CameraResult> latest(Duration window, int limit) {
        Instant since = clock.instant().minus(window);
        return jdbc.queryList(
                LATEST,
                ps -> {
                    ps.setTimestamp(1, Timestamp.from(since));
                    ps.setInt(2, limit);
                },
                this::result);
    }

    /** Vision events and detected objects per second over the last {@code window}. */
    public DetectionRate rate(Duration window) {
        Instant since = clock.instant().minus(window);
        double seconds = Math.max(1, window.toMillis() / 1000.0);
        return jdbc.queryOne(
                        RATE,
                        ps -> ps.setTimestamp(1, Timestamp.from(since)),
                        rs -> new DetectionRate(rs.getLong(1) / seconds, rs.getLong(2) / seconds, window))
                .orElse(new DetectionRate(0, 0, window));
    }

    /** Each installed model's current version, by name, with the latency of its runs since start. */
    public List<ModelLatency> models() {
        List<ModelLatency> list = new ArrayList<>();
        for (ModelMetadata m : models.list()) {
            Timer timer = meters.find("mecgw.inference.runs")
                    .tags("model", m.name(), "version", m.version())
                    .timer();
            HistogramSnapshot snapshot = timer == null ? null : timer.takeSnapshot();
            long runs = snapshot == null ? 0 : snapshot.count();
            list.add(new ModelLatency(
                    m.name(),
                    m.version(),
                    m.kind().name().toLowerCase(Locale.ROOT),
                    runs,
                    percentile(snapshot, 0.50),
                    percentile(snapshot, 0.99)));
        }
        return list;
    }

    /**
     * The thumbnail file an event names, if it is still there: only paths inside the thumbnails folder resolve.
     *
     * @param relative the {@code thumbnail} value of a vision event's payload
     */
    public Optional<Path> thumbnail(String relative) {
        if (relative == null || relative.isBlank()) {
            return Optional.empty();
        }
        Path file = thumbnails.resolve(relative).normalize();
        return file.startsWith(thumbnails) && Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    /**
     * The latency below which a share of the runs stayed, from the timer's histogram buckets (upper bound of the
     * bucket that reaches the share), in milliseconds; empty before the first run.
     */
    static Optional<Double> percentile(HistogramSnapshot snapshot, double share) {
        if (snapshot == null || snapshot.count() == 0) {
            return Optional.empty();
        }
        double wanted = share * snapshot.count();
        for (CountAtBucket bucket : snapshot.histogramCounts()) {
            if (bucket.count() >= wanted) {
                return Optional.of(bucket.bucket(TimeUnit.MILLISECONDS));
            }
        }
        return Optional.of(snapshot.max(TimeUnit.MILLISECONDS));
    }

    private CameraResult result(ResultSet rs) throws SQLException {
        JsonNode payload;
        try {
            payload = json.readTree(rs.getString(5));
        } catch (JsonProcessingException e) {
            throw new SQLException("event payload is not JSON", e);
        }
        List<Box> boxes = new ArrayList<>();
        for (JsonNode d : payload.path("detections")) {
            JsonNode b = d.path("box");
            boxes.add(new Box(
                    d.path("label").asText(),
                    d.path("score").asDouble(),
                    b.path(0).asDouble(),
                    b.path(1).asDouble(),
                    b.path(2).asDouble(),
                    b.path(3).asDouble()));
        }
        List<String> classes = new ArrayList<>();
        payload.path("classes").forEach(c -> classes.add(c.path("label").asText()));
        return new CameraResult(
                rs.getString(3),
                rs.getLong(1),
                rs.getTimestamp(2).toInstant(),
                payload.path("model").asText(null),
                payload.path("version").asText(null),
                payload.path("frameWidth").asInt(0),
                payload.path("frameHeight").asInt(0),
                Optional.ofNullable(payload.path("thumbnail").asText(null)),
                boxes,
                classes);
    }

    /**
     * A camera's newest vision result.
     *
     * @param cameraId the camera (device) id
     * @param eventId the event holding it
     * @param at when it was stored
     * @param model the model's name
     * @param version the model's version
     * @param frameWidth the frame's width in pixels, 0 when unknown (events stored before it was recorded)
     * @param frameHeight the frame's height in pixels, 0 when unknown
     * @param thumbnail the thumbnail's path relative to the thumbnails folder, if one was kept
     * @param boxes detections, best first; empty for classifications
     * @param classes class labels, best first; empty for detections
     */
    public record CameraResult(
            String cameraId,
            long eventId,
            Instant at,
            String model,
            String version,
            int frameWidth,
            int frameHeight,
            Optional<String> thumbnail,
            List<Box> boxes,
            List<String> classes) {}

    /** One detection box in frame pixels (corner form). */
    public record Box(String label, double score, double x1, double y1, double x2, double y2) {}

    /**
     * @param eventsPerSecond vision detection events per second
     * @param objectsPerSecond detected objects (boxes) per second
     * @param window the period averaged over
     */
    public record DetectionRate(double eventsPerSecond, double objectsPerSecond, Duration window) {}

    /**
     * @param name the model's name
     * @param version its current version
     * @param kind {@code vision} or {@code sensor}
     * @param runs runs of this version since start
     * @param p50Millis median run latency, empty before the first run
     * @param p99Millis 99th percentile run latency, empty before the first run
     */
    public record ModelLatency(
            String name,
            String version,
            String kind,
            long runs,
            Optional<Double> p50Millis,
            Optional<Double> p99Millis) {}
}

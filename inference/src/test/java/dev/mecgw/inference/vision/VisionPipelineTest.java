package dev.mecgw.inference.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mecgw.inference.event.InferenceEvent;
import dev.mecgw.inference.model.FileModelRegistry;
import dev.mecgw.inference.onnx.InferenceWorkers;
import dev.mecgw.inference.onnx.OnnxModelLoader;
import dev.mecgw.inference.onnx.SessionSettings;
import dev.mecgw.inference.onnx.SharedModels;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pipeline mechanics on a model and frames built here (issue 16); FrameAnalyzerTest runs the real models, and so does
 * the test of the per-version output counters (issue 18 item 5), skipped with one line without the fixtures.
 */
class VisionPipelineTest {

    @TempDir
    Path dir;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<InferenceEvent> events = new CopyOnWriteArrayList<>();
    private final InferenceWorkers workers = new InferenceWorkers(1, 16, meters);
    private FileModelRegistry registry;

    @AfterEach
    void close() {
        workers.close();
        // null when the test was skipped for a missing fixture before it built the registry
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void shouldAnalyzeOnlyNewestFrameAndCountDropsWhenCameraOutpacesWorkers() throws Exception {
        // given a pipeline whose only worker is busy
        VisionPipeline pipeline = givenAFacePipeline();
        CountDownLatch busy = new CountDownLatch(1);
        workers.submit(() -> {
            busy.await();
            return null;
        });
        byte[] blank = jpeg(ImagePreprocessorTest.filled(320, 240, Color.GRAY));

        // when three frames of one camera queue up, the newest showing a face, plus garbage from another
        pipeline.submit(new CameraFrame("cam-1", blank, Instant.now()));
        pipeline.submit(new CameraFrame("cam-1", blank, Instant.now()));
        pipeline.submit(new CameraFrame("cam-1", VisionModels.faceFrame(), Instant.now()));
        pipeline.submit(new CameraFrame("cam-2", new byte[] {1, 2, 3}, Instant.now()));
        busy.countDown();

        // then
        await().atMost(Duration.ofSeconds(20))
                .until(() -> pipeline.stats().processed() + pipeline.stats().undecodable() == 2);
        assertThat(pipeline.stats()).isEqualTo(new VisionStats(1, 2, 1, 0));
        assertThat(events).hasSize(1);
        InferenceEvent event = events.get(0);
        assertThat(event.deviceId()).isEqualTo("cam-1");
        assertThat(event.kind()).isEqualTo("inference.detection");
        assertThat(event.payload()).containsEntry("model", "faces").containsEntry("version", "1");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> detections =
                (List<Map<String, Object>>) event.payload().get("detections");
        assertThat(detections)
                .singleElement()
                .satisfies(d -> assertThat(d).containsEntry("label", "face").containsKey("box"));
    }

    @Test
    void shouldKeepGoingWhenFrameIsUndecodable() throws Exception {
        // given
        VisionPipeline pipeline = givenAFacePipeline();

        // when
        pipeline.submit(new CameraFrame("cam-1", "<html>".getBytes(), Instant.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> pipeline.stats().undecodable() == 1);
        pipeline.submit(new CameraFrame("cam-1", VisionModels.faceFrame(), Instant.now()));

        // then (the counter moves before the event is stored, so wait for both)
        await().atMost(Duration.ofSeconds(20)).until(() -> pipeline.stats().processed() == 1 && events.size() == 1);
        assertThat(meters.get("mecgw.inference.frames")
                        .tag("outcome", "undecodable")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void shouldServeOtherCamerasBetweenFramesWhenOneCameraSendsContinuously() throws Exception {
        // given a camera that sends a new frame each time one of its frames was analyzed, five times
        registry = new FileModelRegistry(dir, new OnnxModelLoader(SessionSettings.defaults(), meters));
        registry.install(VisionModels.tinyFaces(), VisionModels.tinyFacesModel());
        byte[] face = VisionModels.faceFrame();
        VisionPipeline[] pipeline = new VisionPipeline[1];
        pipeline[0] = new VisionPipeline(
                registry,
                "faces",
                workers,
                VisionOutputs.eventsOnly(batch -> {
                    events.addAll(batch);
                    long busyFrames = events.stream()
                            .filter(e -> e.deviceId().equals("busy"))
                            .count();
                    if (batch.get(0).deviceId().equals("busy") && busyFrames < 5) {
                        pipeline[0].submit(new CameraFrame("busy", face, Instant.now()));
                    }
                }),
                meters);
        CountDownLatch busy = new CountDownLatch(1);
        workers.submit(() -> {
            busy.await();
            return null;
        });

        // when
        pipeline[0].submit(new CameraFrame("busy", face, Instant.now()));
        pipeline[0].submit(new CameraFrame("quiet", face, Instant.now()));
        busy.countDown();

        // then the quiet camera is served second, not after the busy camera's stream
        await().atMost(Duration.ofSeconds(30)).until(() -> events.size() == 6);
        assertThat(events)
                .extracting(InferenceEvent::deviceId)
                .containsExactly("busy", "quiet", "busy", "busy", "busy", "busy");
    }

    @Test
    void shouldStoreThumbnailAndReferenceItWhenFrameProducesEvent() throws Exception {
        // given
        Path thumbs = dir.resolve("thumbs");
        VisionPipeline pipeline =
                givenAFacePipeline(new VisionOutputs(events::addAll, new ImageIoThumbnails(thumbs, 64, 2)));

        // when three detections arrive one after the other
        for (int i = 0; i < 3; i++) {
            pipeline.submit(new CameraFrame("cam/../1", VisionModels.faceFrame(), Instant.ofEpochMilli(1000 + i)));
            int expected = i + 1;
            await().atMost(Duration.ofSeconds(20)).until(() -> events.size() == expected);
        }

        // then each event names its thumbnail, and only the newest two are kept, inside the folder
        assertThat(events.get(2).payload()).containsEntry("thumbnail", "cam_.._1/1002.jpg");
        try (var files = java.nio.file.Files.list(thumbs.resolve("cam_.._1"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("1001.jpg", "1002.jpg");
        }
        assertThat(ImageIO.read(thumbs.resolve("cam_.._1/1002.jpg").toFile()).getWidth())
                .isEqualTo(64);
    }

    @Test
    void shouldKeepTheRawFramesBehindEventsWhenAnArchiveIsConfigured() throws Exception {
        // given a pipeline that keeps one raw frame per camera
        Path frames = dir.resolve("frames");
        VisionPipeline pipeline =
                givenAFacePipeline(new VisionOutputs(events::addAll, Thumbnails.NONE, new FileFrameArchive(frames, 1)));
        byte[] png = VisionModels.faceFrame();

        // when two detections arrive one after the other
        for (int i = 0; i < 2; i++) {
            pipeline.submit(new CameraFrame("cam-1", png, Instant.ofEpochMilli(2000 + i)));
            int expected = i + 1;
            await().atMost(Duration.ofSeconds(20)).until(() -> events.size() == expected);
        }

        // then the newest frame is kept byte for byte and named in its event, the older one is gone
        assertThat(events.get(1).payload())
                .containsEntry("frame", "cam-1/2001.png")
                .doesNotContainKey("thumbnail");
        assertThat(java.nio.file.Files.readAllBytes(frames.resolve("cam-1/2001.png")))
                .isEqualTo(png);
        assertThat(frames.resolve("cam-1/2000.png")).doesNotExist();
    }

    @Test
    void shouldCountFramesAndDetectionsPerModelVersionWhenARealModelRuns() throws Exception {
        // given UltraFace from the fixtures serving as faces version 1 (issue 18 item 5: the health gate's figures)
        byte[] ultraFace = SharedModels.bytes("ultraface-rfb-320");
        registry = new FileModelRegistry(dir, new OnnxModelLoader(SessionSettings.defaults(), meters));
        registry.install(VisionModels.ultraFace("1"), ultraFace);
        VisionPipeline pipeline =
                new VisionPipeline(registry, "faces", workers, VisionOutputs.eventsOnly(events::addAll), meters);
        byte[] astronaut = VisionModels.image("astronaut.png");
        byte[] blank = jpeg(ImagePreprocessorTest.filled(320, 240, Color.GRAY));

        // when version 1 sees the astronaut, then version 2 (hot swap) sees the astronaut and a blank frame
        analyze(pipeline, astronaut, "1", 1);
        registry.install(VisionModels.ultraFace("2"), ultraFace);
        analyze(pipeline, astronaut, "2", 1);
        analyze(pipeline, blank, "2", 2);

        // then each version's frames and detections are counted apart: one face per astronaut, none in the blank
        assertThat(output("1", "frames")).isEqualTo(1);
        assertThat(output("1", "detections")).isEqualTo(1);
        assertThat(output("2", "frames")).isEqualTo(2);
        assertThat(output("2", "detections")).isEqualTo(1);
    }

    private void analyze(VisionPipeline pipeline, byte[] frame, String version, double framesAfter) {
        pipeline.submit(new CameraFrame("cam-1", frame, Instant.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> output(version, "frames") == framesAfter);
    }

    private double output(String version, String outcome) {
        Counter counter = meters.find(VisionPipeline.OUTPUTS)
                .tag("model", "faces")
                .tag("version", version)
                .tag("outcome", outcome)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private VisionPipeline givenAFacePipeline() {
        return givenAFacePipeline(VisionOutputs.eventsOnly(events::addAll));
    }

    private VisionPipeline givenAFacePipeline(VisionOutputs outputs) {
        registry =
                new FileModelRegistry(dir.resolve("models"), new OnnxModelLoader(SessionSettings.defaults(), meters));
        registry.install(VisionModels.tinyFaces(), VisionModels.tinyFacesModel());
        return new VisionPipeline(registry, "faces", workers, outputs, meters);
    }

    static byte[] jpeg(java.awt.image.BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }
}

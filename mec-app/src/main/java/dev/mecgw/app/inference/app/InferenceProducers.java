package dev.mecgw.app.inference.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.events.EventLog;
import dev.mecgw.app.gateway.GatewayConfig;
import dev.mecgw.app.gateway.LifecyclePhase;
import dev.mecgw.app.inference.CameraOverview;
import dev.mecgw.app.inference.EventLogInferenceSink;
import dev.mecgw.app.inference.InferenceConfig;
import dev.mecgw.app.inference.MjpegCameraSources;
import dev.mecgw.app.inference.SensorModelFitting;
import dev.mecgw.app.inference.VisionFrameSink;
import dev.mecgw.app.registry.DeviceRegistry;
import dev.mecgw.app.telemetry.TelemetryStore;
import dev.mecgw.inference.camera.CameraPulls;
import dev.mecgw.inference.camera.MjpegSettings;
import dev.mecgw.inference.event.InferenceEventSink;
import dev.mecgw.inference.model.FileModelRegistry;
import dev.mecgw.inference.model.ModelRegistry;
import dev.mecgw.inference.onnx.InferenceWorkers;
import dev.mecgw.inference.onnx.OnnxModelLoader;
import dev.mecgw.inference.onnx.SessionSettings;
import dev.mecgw.inference.sensor.SensorPipeline;
import dev.mecgw.inference.sensor.SensorSettings;
import dev.mecgw.inference.vision.FileFrameArchive;
import dev.mecgw.inference.vision.FrameArchive;
import dev.mecgw.inference.vision.ImageIoThumbnails;
import dev.mecgw.inference.vision.Thumbnails;
import dev.mecgw.inference.vision.VisionOutputs;
import dev.mecgw.inference.vision.VisionPipeline;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Path;
import java.time.Clock;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/** Wires the inference core: loader, worker pool and model registry (loaded from disk at start-up). */
@ApplicationScoped
public class InferenceProducers {

    private static final Logger LOG = Logger.getLogger(InferenceProducers.class);

    @Produces
    @ApplicationScoped
    OnnxModelLoader loader(InferenceConfig config, MeterRegistry meters) {
        return new OnnxModelLoader(
                new SessionSettings(
                        config.intraOpThreads(), config.interOpThreads(), config.optimization(), config.cuda()),
                meters);
    }

    private volatile InferenceWorkers workers;

    @Produces
    @ApplicationScoped
    InferenceWorkers workers(InferenceConfig config, MeterRegistry meters) {
        int threads = config.workers() == 0 ? InferenceWorkers.defaultThreads() : config.workers();
        workers = new InferenceWorkers(threads, config.queueCapacity(), meters);
        return workers;
    }

    // In the INFERENCE phase, not in a disposer: running tasks record inference events in the store, which is closed
    // by the time disposers run. Frames stopped coming with the front-ends and the camera pulls (CameraPullSchedule).
    void onStop(@Observes @Priority(LifecyclePhase.Order.INFERENCE_STOP) ShutdownEvent event) {
        if (workers != null) {
            workers.close();
        }
    }

    @Produces
    @ApplicationScoped
    CameraOverview cameraOverview(
            DataSource dataSource,
            ObjectMapper json,
            ModelRegistry registry,
            MeterRegistry meters,
            GatewayConfig gateway) {
        // The same folder the vision pipeline's thumbnails go to (below).
        return new CameraOverview(
                dataSource, json, registry, meters, gateway.dataDir().resolve("thumbnails"), Clock.systemUTC());
    }

    @Produces
    @ApplicationScoped
    VisionFrameSink visionFrameSink(
            VisionPipeline vision,
            DeviceRegistry devices,
            InferenceWorkers workers,
            InferenceConfig config,
            MeterRegistry meters) {
        return new VisionFrameSink(
                vision,
                devices,
                workers,
                new VisionFrameSink.FramePolicy(config.frameDeviceTypes(), config.maxFramePixels()),
                meters);
    }

    @Produces
    @Startup(LifecyclePhase.Order.INFERENCE_START)
    @ApplicationScoped
    FileModelRegistry registry(InferenceConfig config, GatewayConfig gateway, OnnxModelLoader loader) {
        Path dir =
                gateway.dataDir().resolve(config.modelsDir()).toAbsolutePath().normalize();
        FileModelRegistry registry = new FileModelRegistry(dir, loader);
        int active = registry.loadInstalled();
        // Without a model ONNX Runtime is not loaded at all (issue 22 item 4): it starts with the first one.
        LOG.infof(
                "Inference: %d model(s) serving from %s, %s execution provider%s",
                active,
                dir,
                loader.executionProvider(),
                loader.runtimeStarted() ? "" : " (ONNX Runtime loads with the first model)");
        return registry;
    }

    // A disposer may close it: the registry's ONNX sessions and files touch no store (LifecyclePhase).
    void closeRegistry(@Disposes FileModelRegistry registry) {
        registry.close();
    }

    @Produces
    @ApplicationScoped
    InferenceEventSink eventSink(EventLog events) {
        return new EventLogInferenceSink(events);
    }

    @Produces
    @ApplicationScoped
    VisionPipeline vision(
            InferenceConfig config,
            GatewayConfig gateway,
            ModelRegistry registry,
            InferenceWorkers workers,
            InferenceEventSink sink,
            MeterRegistry meters) {
        Thumbnails thumbnails = config.thumbnailWidth() == 0
                ? Thumbnails.NONE
                : new ImageIoThumbnails(
                        gateway.dataDir().resolve("thumbnails").toAbsolutePath().normalize(),
                        config.thumbnailWidth(),
                        config.thumbnailsPerCamera());
        FrameArchive frames = config.framesPerCamera() == 0
                ? FrameArchive.NONE
                : new FileFrameArchive(
                        gateway.dataDir().resolve("frames").toAbsolutePath().normalize(), config.framesPerCamera());
        return new VisionPipeline(
                registry,
                config.visionModel(),
                workers,
                new VisionOutputs(sink, thumbnails, frames),
                meters,
                config.maxFramePixels());
    }

    @Produces
    @ApplicationScoped
    SensorPipeline sensor(
            InferenceConfig config,
            ModelRegistry registry,
            InferenceWorkers workers,
            InferenceEventSink sink,
            MeterRegistry meters) {
        return new SensorPipeline(
                registry,
                new SensorSettings(
                        config.sensorModel(), config.sensorWindow(), config.sensorStride(), config.sensorBatch()),
                workers,
                sink,
                meters);
    }

    @Produces
    @ApplicationScoped
    CameraPulls cameraPulls(InferenceConfig config, VisionPipeline vision, MeterRegistry meters) {
        InferenceConfig.Mjpeg mjpeg = config.mjpeg();
        return new CameraPulls(
                new MjpegSettings(
                        mjpeg.connectTimeout(),
                        mjpeg.backoffMin(),
                        mjpeg.backoffMax(),
                        mjpeg.stallTimeout(),
                        mjpeg.maxFrameBytes()),
                vision::submit,
                meters);
    }

    @Produces
    @ApplicationScoped
    MjpegCameraSources cameraSources(InferenceConfig config, DeviceRegistry devices, CameraPulls pulls) {
        return new MjpegCameraSources(
                devices, pulls, config.mjpeg().deviceType(), config.mjpeg().urlLabel());
    }

    @Produces
    @ApplicationScoped
    SensorModelFitting fitting(TelemetryStore telemetry, ModelRegistry registry, DeviceRegistry devices) {
        return new SensorModelFitting(telemetry, registry, devices, Clock.systemUTC());
    }
}

package dev.mecgw.app.artifacts.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.artifacts.ArtifactStore;
import dev.mecgw.app.artifacts.ArtifactsConfig;
import dev.mecgw.app.artifacts.FileArtifactStore;
import dev.mecgw.app.gateway.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Wires the artifact store in {@code <data-dir>/artifacts}. */
@ApplicationScoped
public class ArtifactProducers {

    @Produces
    @ApplicationScoped
    ArtifactStore artifactStore(GatewayConfig gateway, ArtifactsConfig config, ObjectMapper json) {
        return new FileArtifactStore(gateway.dataDir().resolve("artifacts"), config.maxSize(), json);
    }
}

package dev.mecgw.app.artifacts;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;

/** The artifact store under {@code mecgw.artifacts}; files live in {@code <data-dir>/artifacts}. */
@ConfigMapping(prefix = "mecgw.artifacts")
public interface ArtifactsConfig {

    /**
     * Largest artifact accepted, in bytes. Uploads go through the HTTP server, so a value above
     * {@code quarkus.http.limits.max-body-size} (10M by default) needs that raised too.
     * Env {@code MECGW_ARTIFACTS_MAX_SIZE}. Default 8388608 (8 MiB).
     */
    @WithDefault("8388608")
    @Min(1) long maxSize();
}

package dev.mecgw.app.ota;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import java.time.Duration;

/** Device firmware rollouts (issue 18, docs/ota.md). */
@ConfigMapping(prefix = "mecgw.ota")
public interface OtaConfig {

    /**
     * Share (0-1) of its own pre-update telemetry rate an updated device must keep during the health window to
     * count as healthy. Default 0.5.
     */
    @WithDefault("0.5")
    @DecimalMin("0.0") @DecimalMax("1.0") double healthMinRateShare();

    /**
     * How often device reports are read and timeouts and health gates evaluated; a state's timeout is noticed at
     * most this late. Default 5s.
     */
    @WithDefault("5s")
    Duration tickInterval();
}

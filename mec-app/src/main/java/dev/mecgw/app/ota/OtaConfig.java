package dev.mecgw.app.ota;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
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

    /**
     * How long a device's verified password is remembered for its HTTP firmware range requests ({@code GET /fw}),
     * so that one download costs one PBKDF2 derivation. A changed password is refused at once regardless.
     * Default 10m.
     */
    @WithDefault("10m")
    Duration downloadAuthTtl();

    /** Password derivations of HTTP firmware downloads allowed at once; more are refused 503. Default 2. */
    @WithDefault("2")
    @Min(1) int downloadHashThreads();
}

package dev.mecgw.app.gateway;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;

/** Site-wide settings under {@code mecgw}. Each area has its own mapping under {@code mecgw.<area>}. */
@ConfigMapping(prefix = "mecgw")
public interface GatewayConfig {

    /**
     * Folder for everything the gateway keeps: the embedded PostgreSQL, keys, the admin token, models and
     * artifacts. Env {@code MECGW_DATA_DIR}. Default {@code ./data}.
     */
    @WithDefault("./data")
    Path dataDir();

    /**
     * Identifier of this site, used as the prefix of cloud topics. Lower-case letters, digits and dashes.
     * Env {@code MECGW_SITE_ID}. Default {@code site-1}.
     */
    @WithDefault("site-1")
    @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,62}") String siteId();
}

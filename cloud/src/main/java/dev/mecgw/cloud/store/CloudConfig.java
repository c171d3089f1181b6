package dev.mecgw.cloud.store;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

/** Settings of the cloud application as a whole, under {@code mecgw.cloud}. */
@ConfigMapping(prefix = "mecgw.cloud")
public interface CloudConfig {

    /**
     * Directory for the cloud's own state: the generated admin token, the embedded PostgreSQL and the embedded Kafka.
     * Env {@code MECGW_CLOUD_DATA_DIR}. Default {@code ./cloud-data}.
     */
    @WithDefault("./cloud-data")
    Path dataDir();
}

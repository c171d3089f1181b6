package dev.mecgw.cloud.admin;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** Access to the cloud's REST API, under {@code mecgw.cloud.admin}. */
@ConfigMapping(prefix = "mecgw.cloud.admin")
public interface AdminConfig {

    /**
     * Bearer token required on every {@code /api} call. Env {@code MECGW_CLOUD_ADMIN_TOKEN}. Default: none, and the
     * cloud then generates one at first start into {@code <data-dir>/admin-token} (mode 0600).
     */
    Optional<String> token();
}

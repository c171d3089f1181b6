package dev.mecgw.app.admin;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** Admin API access under {@code mecgw.admin}. */
@ConfigMapping(prefix = "mecgw.admin")
public interface AdminConfig {

    /**
     * Bearer token required on every {@code /api} call. Env {@code MECGW_ADMIN_TOKEN}. When absent, the
     * gateway generates one at first start and keeps it in {@code <data-dir>/admin-token} (mode 0600).
     */
    Optional<String> token();
}

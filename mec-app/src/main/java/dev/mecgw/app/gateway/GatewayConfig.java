package dev.mecgw.app.gateway;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

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

    /** The plain HTTP listener ({@code quarkus.http.port}). */
    Http http();

    /** Exposure of the plain HTTP listener (issue 15.12). */
    interface Http {

        /**
         * Source addresses (CIDR) served on the plain HTTP port; others get 403 before any routing, while HTTPS
         * ({@code quarkus.http.ssl-port}) serves everyone. Quarkus binds both listeners to one host, so this is how
         * the appliance keeps plain HTTP local: the Ansible role sets {@code 127.0.0.0/8,::1/128}, and a remote
         * operator uses HTTPS or an SSH tunnel. Env {@code MECGW_HTTP_PLAIN_SOURCES}. Absent: every source.
         */
        Optional<List<String>> plainSources();
    }
}

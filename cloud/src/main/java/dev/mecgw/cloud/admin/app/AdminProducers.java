package dev.mecgw.cloud.admin.app;

import dev.mecgw.cloud.admin.AdminConfig;
import dev.mecgw.cloud.admin.AdminToken;
import dev.mecgw.cloud.store.CloudConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/** Builds the {@link AdminToken} from the configuration. */
@ApplicationScoped
public class AdminProducers {

    private static final Logger LOG = Logger.getLogger(AdminProducers.class);

    @Produces
    @Singleton
    AdminToken adminToken(AdminConfig admin, CloudConfig cloud) {
        AdminToken token = AdminToken.load(admin.token(), cloud.dataDir());
        if (token.generated()) {
            LOG.infof(
                    "Generated an admin API token in %s (mode 0600); send it as 'Authorization: Bearer <token>'",
                    token.source());
        }
        return token;
    }
}

package dev.mecgw.app.admin.app;

import dev.mecgw.app.admin.AdminConfig;
import dev.mecgw.app.admin.AdminToken;
import dev.mecgw.app.gateway.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Builds the admin token that guards the operator API. */
@ApplicationScoped
public class AdminProducers {

    @Produces
    @ApplicationScoped
    AdminToken adminToken(AdminConfig config, GatewayConfig gateway) {
        return new AdminToken(config, gateway);
    }
}

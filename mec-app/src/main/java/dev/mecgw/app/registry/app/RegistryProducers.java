package dev.mecgw.app.registry.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.credentials.PasswordHasher;
import dev.mecgw.app.credentials.SecretCipher;
import dev.mecgw.app.registry.ConnectionChanges;
import dev.mecgw.app.registry.ConnectionPolicy;
import dev.mecgw.app.registry.DeviceRevocations;
import dev.mecgw.app.registry.PostgresDeviceRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import javax.sql.DataSource;

/** Builds the device registry on the gateway's database. */
@ApplicationScoped
public class RegistryProducers {

    @Produces
    @ApplicationScoped
    PostgresDeviceRegistry deviceRegistry(
            DataSource dataSource,
            ObjectMapper json,
            PasswordHasher hasher,
            SecretCipher cipher,
            DeviceRevocations revocations,
            ConnectionPolicy policy,
            ConnectionChanges changes) {
        return new PostgresDeviceRegistry(
                dataSource, json, hasher, cipher, revocations, new PostgresDeviceRegistry.Southbound(policy, changes));
    }

    /** The southbound clients start, restart and stop devices' connections on these (issue 21). */
    @Produces
    @Singleton
    ConnectionChanges connectionChanges() {
        return new ConnectionChanges();
    }

    /** The front-ends subscribe to close a device's sessions when it is deleted or re-keyed (issue 15.9). */
    @Produces
    @Singleton
    DeviceRevocations deviceRevocations() {
        return new DeviceRevocations();
    }
}

package dev.mecgw.app.registry.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.credentials.PasswordHasher;
import dev.mecgw.app.credentials.SecretCipher;
import dev.mecgw.app.registry.PostgresDeviceRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import javax.sql.DataSource;

/** Builds the device registry on the gateway's database. */
@ApplicationScoped
public class RegistryProducers {

    @Produces
    @ApplicationScoped
    PostgresDeviceRegistry deviceRegistry(
            DataSource dataSource, ObjectMapper json, PasswordHasher hasher, SecretCipher cipher) {
        return new PostgresDeviceRegistry(dataSource, json, hasher, cipher);
    }
}

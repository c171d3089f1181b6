package dev.mecgw.app.credentials;

import dev.mecgw.app.acl.Principal;
import dev.mecgw.app.store.Jdbc;
import java.util.Optional;
import javax.sql.DataSource;

/** {@link DeviceCertificates} on {@code device_credentials.x509_sha256} (unique) of the local PostgreSQL. */
public class PostgresDeviceCertificates implements DeviceCertificates {

    private static final String SQL = "SELECT d.id, d.type FROM device_credentials c"
            + " JOIN devices d ON d.id = c.device_id WHERE c.x509_sha256 = ?";

    private final Jdbc jdbc;

    public PostgresDeviceCertificates(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource, "Credentials store");
    }

    @Override
    public Optional<Principal> deviceFor(String x509Sha256) {
        return jdbc.queryOne(
                SQL, ps -> ps.setString(1, x509Sha256), rs -> new Principal(rs.getString(1), rs.getString(2)));
    }
}

package dev.mecgw.app.credentials;

import dev.mecgw.app.acl.Principal;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/** {@link DeviceCertificates} on {@code device_credentials.x509_sha256} (unique) of the local PostgreSQL. */
public class PostgresDeviceCertificates implements DeviceCertificates {

    private final DataSource dataSource;

    public PostgresDeviceCertificates(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Optional<Principal> deviceFor(String x509Sha256) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT d.id, d.type FROM device_credentials c"
                        + " JOIN devices d ON d.id = c.device_id WHERE c.x509_sha256 = ?")) {
            ps.setString(1, x509Sha256);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Principal(rs.getString(1), rs.getString(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new GatewayException(ErrorKind.UNAVAILABLE, "Credentials store unavailable", e);
        }
    }
}

package dev.mecgw.app.coap;

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
    public Optional<String> deviceFor(String x509Sha256) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT device_id FROM device_credentials WHERE x509_sha256 = ?")) {
            ps.setString(1, x509Sha256);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new GatewayException(ErrorKind.UNAVAILABLE, "Credentials store unavailable", e);
        }
    }
}

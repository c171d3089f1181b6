package dev.mecgw.app.mqtt;

import dev.mecgw.app.acl.Principal;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/** Finds the device registered with a certificate fingerprint ({@code device_credentials.x509_sha256}). */
public class PostgresX509Lookup implements MqttBroker.X509Lookup {

    private final DataSource dataSource;

    public PostgresX509Lookup(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Optional<Principal> apply(String fingerprint) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT d.id, d.type FROM device_credentials c"
                        + " JOIN devices d ON d.id = c.device_id WHERE c.x509_sha256 = ?")) {
            ps.setString(1, fingerprint);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Principal(rs.getString(1), rs.getString(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new GatewayException(ErrorKind.UNAVAILABLE, "Registry unavailable", e);
        }
    }
}

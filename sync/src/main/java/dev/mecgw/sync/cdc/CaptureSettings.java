package dev.mecgw.sync.cdc;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one capture engine reads and how.
 *
 * @param name engine name; also the key under which offsets are stored, so keep it stable
 * @param siteId the site id stamped on every change
 * @param jdbcUrl the local PostgreSQL as {@code jdbc:postgresql://host:port/db}; offsets are stored there too
 * @param user database user with the REPLICATION attribute
 * @param password the user's password; never logged
 * @param tables qualified tables ({@code schema.table}) to capture; at least one
 * @param slotName replication slot name
 * @param publicationName publication name
 * @param offsetFlushInterval how often acknowledged offsets are written to the offset table
 * @param passThrough further Debezium connector properties, applied last
 */
public record CaptureSettings(
        String name,
        String siteId,
        String jdbcUrl,
        String user,
        String password,
        List<String> tables,
        String slotName,
        String publicationName,
        Duration offsetFlushInterval,
        Map<String, String> passThrough) {

    public CaptureSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(siteId, "siteId");
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        tables = List.copyOf(tables);
        passThrough = Map.copyOf(passThrough);
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("capture '" + name + "' names no table");
        }
    }

    @Override
    public String toString() {
        return "CaptureSettings[name=" + name + ", siteId=" + siteId + ", jdbcUrl=" + jdbcUrl + ", tables=" + tables
                + ", slot=" + slotName + ", publication=" + publicationName + "]";
    }
}

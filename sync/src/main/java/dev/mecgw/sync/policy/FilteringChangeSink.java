package dev.mecgw.sync.policy;

import dev.mecgw.sync.cdc.ChangeEvent;
import dev.mecgw.sync.cdc.ChangeSink;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;

/**
 * A {@link ChangeSink} in front of another that keeps rows failing their table's {@link RowFilter} at the site.
 * A skipped change completes at once, so its offset advances like any other.
 * <ul>
 * <li>insert, snapshot: sent only when the new row passes;</li>
 * <li>update: sent when the new row passes; otherwise sent as a delete (key only, no column values), so that a row
 * which left the filter also leaves the cloud (PostgreSQL publications do the same);</li>
 * <li>delete: always sent (key only): with the default replica identity the old row is not in the WAL, so the
 * gateway cannot tell whether the cloud has it. The cloud applier keeps it as a tombstone.</li>
 * </ul>
 * The entry of the {@code policy} area: {@link #withMasks} builds the whole policy chain in front of a sink, and
 * {@link #verify} checks the filters against the database at start-up.
 */
public final class FilteringChangeSink implements ChangeSink {

    private final ChangeSink next;
    private final Map<String, RowFilter> filters;

    /**
     * @param next the sink that receives the changes that pass; closed with this one
     * @param filters qualified table to its filter; tables without one pass unfiltered
     */
    public FilteringChangeSink(ChangeSink next, Map<String, RowFilter> filters) {
        this.next = next;
        this.filters = Map.copyOf(filters);
    }

    /**
     * The site's data policy in front of {@code next}: rows failing their table's filter stay at the site, then
     * masked columns and masked values nested in JSON columns leave it only as {@code hmac:<base64url>} of
     * HMAC-SHA256 with the site secret. Filtering comes first, so that predicates see the site's own values.
     *
     * @param next the sink that receives what passes, masked; closed with the returned one
     * @param filters qualified table to its filter; tables without one pass unfiltered
     * @param maskColumns qualified columns ({@code schema.table.column}) whose values are masked whole
     * @param maskPaths qualified column to the JSON paths inside it to mask ({@code $.a.b} or {@code $..a})
     * @param secret the site secret, at least 32 bytes
     * @return the policy chain
     * @throws IllegalArgumentException when the secret is shorter than 32 bytes, or naming the column or path when a
     *     mask path is malformed
     */
    public static ChangeSink withMasks(
            ChangeSink next,
            Map<String, RowFilter> filters,
            List<String> maskColumns,
            Map<String, List<String>> maskPaths,
            byte[] secret) {
        return new FilteringChangeSink(
                new MaskingChangeSink(next, ColumnMasks.parse(maskColumns), new JsonPathMasks(maskPaths), secret),
                filters);
    }

    /**
     * Checks row filters against the local database, so that a filter naming a missing column or comparing a column
     * with a literal of the wrong type stops the gateway at start-up instead of dropping or leaking rows later.
     *
     * @param dataSource the local database
     * @param filters the filters to check
     * @throws IllegalArgumentException naming the table, the filter and PostgreSQL's reason when one is refused
     * @throws SQLException when the database cannot be reached at all
     */
    public static void verify(DataSource dataSource, Collection<RowFilter> filters) throws SQLException {
        PostgresRowFilterCheck.verify(dataSource, filters);
    }

    @Override
    public CompletableFuture<Void> send(ChangeEvent event) {
        RowFilter filter = filters.get(event.table());
        if (filter == null || event.after() == null || filter.matches(event.after())) {
            return next.send(event);
        }
        if (event.op() == ChangeEvent.Op.UPDATE) {
            return next.send(new ChangeEvent(
                    event.siteId(),
                    event.table(),
                    ChangeEvent.Op.DELETE,
                    event.generation(),
                    event.lsn(),
                    event.commitTime(),
                    event.key(),
                    null));
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {
        next.close();
    }
}

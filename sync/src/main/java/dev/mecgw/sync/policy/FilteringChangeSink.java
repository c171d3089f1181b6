package dev.mecgw.sync.policy;

import dev.mecgw.sync.cdc.ChangeEvent;
import dev.mecgw.sync.cdc.ChangeSink;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

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

-- Retention vs replication (issue 14 item 4, docs/sync.md "Retention vs replication"). Every pruning transaction
-- first records its own transaction id (the 32-bit xid that the sync capture sees as source.txId) here; the capture
-- drops the deletes of marked transactions, so a retention delete at the site is not replicated as a delete to the
-- cloud, while an operator's delete still is. Local-only: never in a publication. lsn is the WAL position after the
-- transaction's deletes; a marker is dropped only once every logical slot has confirmed past it.
CREATE TABLE mecgw_retention_marks (
    xid        bigint      PRIMARY KEY,
    marked_at  timestamptz NOT NULL DEFAULT now(),
    lsn        pg_lsn
);

-- Retention scans by age (bounded batches); rollups already have their minute index.
CREATE INDEX events_ts_idx ON events (ts);
CREATE INDEX mecgw_downlink_applied_updated_idx ON mecgw_downlink_applied (updated_at);
CREATE INDEX mecgw_command_outbox_created_idx ON mecgw_command_outbox (created_at);

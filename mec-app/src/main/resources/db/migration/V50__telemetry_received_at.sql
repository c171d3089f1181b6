-- Issue 14 item 5: when each reading arrived, so that the rollup recomputes the minutes that late readings (a sensor
-- that buffered through an outage) touch. now() is stable, so existing rows get the ALTER's time without a rewrite;
-- BRIN suits a column that grows with insertion order and costs the hot insert path next to nothing.
ALTER TABLE telemetry ADD COLUMN received_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX telemetry_received_at_idx ON telemetry USING brin (received_at);

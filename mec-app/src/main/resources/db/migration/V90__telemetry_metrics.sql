-- Issue 23: the unit and kind a device declares for each of its metrics (SenML u/bu, vb, s).
-- One row per device and metric holds the unit in force; a change of unit is recorded as a
-- 'telemetry.unit-changed' event by the writer, so values in two units are never mixed silently.
CREATE TABLE telemetry_metrics (
    device_id  text        NOT NULL,
    metric     text        NOT NULL,
    unit       text,
    kind       text        NOT NULL CHECK (kind IN ('number', 'boolean', 'sum')),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (device_id, metric)
);

-- One-minute telemetry rollups (issue 4): maintained at the edge by dev.mecgw.app.sync.TelemetryRollup and
-- replicated to the cloud by default, while raw telemetry stays local-only.
CREATE TABLE telemetry_rollup_1m (
    device_id  text             NOT NULL,
    metric     text             NOT NULL,
    minute     timestamptz      NOT NULL,
    min        double precision NOT NULL,
    max        double precision NOT NULL,
    avg        double precision NOT NULL,
    count      bigint           NOT NULL,
    PRIMARY KEY (device_id, metric, minute)
);
CREATE INDEX telemetry_rollup_1m_minute_idx ON telemetry_rollup_1m (minute);

-- Downlink acknowledgements (issue 4): one row per message from the cloud, written in the same transaction as the
-- message's effect; replicated to the cloud as the acknowledgement.
CREATE TABLE mecgw_downlink_applied (
    id          text        PRIMARY KEY,
    kind        text        NOT NULL,
    device_id   text        NOT NULL,
    version     bigint      NOT NULL,
    outcome     text        NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now()
);

-- Typed per-site mirror of the replicated edge tables (issue 17, docs/cloud.md).
--
-- Each mirror table is the edge table with site_id added in front of its primary key, plus:
--   extra           edge columns this schema does not know yet (a later gateway release added them): kept as JSON
--                   so no value is lost; a later cloud migration adds the typed column and backfills it from here.
--   src_generation, src_lsn  the ordering pair of the change applied last (CONTRACT sync 1): a change is applied
--                   iff its (generation, lsn) is greater than the stored pair.
--   mirrored_at     when this cloud last wrote the row.
--   deleted         tombstone: the edge deleted the row; non-key columns are cleared, the row stays so that a late,
--                   older change cannot resurrect it. The API hides these rows.
-- Non-key columns are nullable on purpose: the edge enforced its constraints, and a tombstone carries only keys.
-- The applier reads each table's columns from the catalog at start, so adding a column needs no code change.

CREATE TABLE devices (
    site_id          text        NOT NULL,
    id               text        NOT NULL,
    type             text,
    labels           jsonb,
    supi             text,
    gpsi             text,
    slice_sst        smallint,
    slice_sd         text,
    online           boolean,
    last_seen        timestamptz,
    created_at       timestamptz,
    updated_at       timestamptz,
    version          bigint,
    extra            jsonb       NOT NULL DEFAULT '{}'::jsonb,
    src_generation   bigint      NOT NULL,
    src_lsn          bigint      NOT NULL,
    src_commit_time  timestamptz,
    deleted          boolean     NOT NULL DEFAULT false,
    mirrored_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, id)
);
CREATE INDEX devices_site_online_idx ON devices (site_id, online) WHERE NOT deleted;

CREATE TABLE device_twins (
    site_id          text        NOT NULL,
    device_id        text        NOT NULL,
    desired          jsonb,
    desired_version  bigint,
    reported         jsonb,
    reported_version bigint,
    updated_at       timestamptz,
    extra            jsonb       NOT NULL DEFAULT '{}'::jsonb,
    src_generation   bigint      NOT NULL,
    src_lsn          bigint      NOT NULL,
    src_commit_time  timestamptz,
    deleted          boolean     NOT NULL DEFAULT false,
    mirrored_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, device_id)
);

CREATE TABLE events (
    site_id          text        NOT NULL,
    id               bigint      NOT NULL,
    ts               timestamptz,
    device_id        text,
    kind             text,
    severity         text,
    payload          jsonb,
    extra            jsonb       NOT NULL DEFAULT '{}'::jsonb,
    src_generation   bigint      NOT NULL,
    src_lsn          bigint      NOT NULL,
    src_commit_time  timestamptz,
    deleted          boolean     NOT NULL DEFAULT false,
    mirrored_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, id)
);
CREATE INDEX events_site_ts_idx ON events (site_id, ts);

CREATE TABLE telemetry_rollup_1m (
    site_id          text             NOT NULL,
    device_id        text             NOT NULL,
    metric           text             NOT NULL,
    minute           timestamptz      NOT NULL,
    min              double precision,
    max              double precision,
    avg              double precision,
    count            bigint,
    extra            jsonb            NOT NULL DEFAULT '{}'::jsonb,
    src_generation   bigint           NOT NULL,
    src_lsn          bigint           NOT NULL,
    src_commit_time  timestamptz,
    deleted          boolean          NOT NULL DEFAULT false,
    mirrored_at      timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, device_id, metric, minute)
);

-- The edge's record of each downlink message (CONTRACT sync 3): the status the cloud reports for a command.
CREATE TABLE mecgw_downlink_applied (
    site_id          text        NOT NULL,
    id               text        NOT NULL,
    kind             text,
    device_id        text,
    version          bigint,
    outcome          text,
    applied_at       timestamptz,
    reason           text,
    updated_at       timestamptz,
    extra            jsonb       NOT NULL DEFAULT '{}'::jsonb,
    src_generation   bigint      NOT NULL,
    src_lsn          bigint      NOT NULL,
    src_commit_time  timestamptz,
    deleted          boolean     NOT NULL DEFAULT false,
    mirrored_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, id)
);

-- Changes of edge tables without a typed mirror here (a later release replicates a new table): kept whole, with
-- the same ordering rule, until a migration adds the typed table.
CREATE TABLE unmapped_rows (
    site_id          text        NOT NULL,
    table_name       text        NOT NULL,
    pk               jsonb       NOT NULL,
    data             jsonb,
    src_generation   bigint      NOT NULL,
    src_lsn          bigint      NOT NULL,
    src_commit_time  timestamptz,
    deleted          boolean     NOT NULL DEFAULT false,
    mirrored_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, table_name, pk)
);

-- One row per site: the last applied change and the last heartbeat (CONTRACT sync 2).
CREATE TABLE sites (
    site_id          text        PRIMARY KEY,
    last_change_at   timestamptz,
    heartbeat_sent_at timestamptz,
    heartbeat_received_at timestamptz,
    gateway_version  text,
    health           text,
    backlog_rows     bigint,
    lag_seconds      double precision,
    devices_online   integer,
    devices_total    integer,
    models           jsonb
);

-- Downlink messages sent by this cloud (CONTRACT sync 3); their status comes from mecgw_downlink_applied.
CREATE TABLE cloud_commands (
    site_id          text        NOT NULL,
    id               text        NOT NULL,
    kind             text        NOT NULL CHECK (kind IN ('command', 'desired')),
    device_id        text        NOT NULL,
    name             text,
    payload          jsonb       NOT NULL,
    version          bigint,
    expires_at       timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, id)
);
CREATE UNIQUE INDEX cloud_commands_desired_version_idx ON cloud_commands (site_id, device_id, version)
    WHERE kind = 'desired';

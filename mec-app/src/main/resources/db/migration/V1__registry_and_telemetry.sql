-- Device registry, credentials, twins, events and time-partitioned telemetry (issue #2).

CREATE TABLE devices (
    id            text        PRIMARY KEY,
    type          text        NOT NULL,
    labels        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    supi          text        UNIQUE,
    gpsi          text,
    slice_sst     smallint    CHECK (slice_sst BETWEEN 0 AND 255),
    slice_sd      char(6),
    online        boolean     NOT NULL DEFAULT false,
    last_seen     timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    version       bigint      NOT NULL DEFAULT 1
);
CREATE INDEX devices_type_idx   ON devices (type);
CREATE INDEX devices_labels_idx ON devices USING gin (labels jsonb_path_ops);
CREATE INDEX devices_slice_idx  ON devices (slice_sst, slice_sd);

-- Secrets are write-only: a PBKDF2 hash for the password, AES-GCM ciphertext for the DTLS PSK.
CREATE TABLE device_credentials (
    device_id      text        PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
    password_hash  text,
    psk_ciphertext bytea,
    x509_sha256    char(64)    UNIQUE,
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE device_twins (
    device_id        text        PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
    desired          jsonb       NOT NULL DEFAULT '{}'::jsonb,
    desired_version  bigint      NOT NULL DEFAULT 0,
    reported         jsonb       NOT NULL DEFAULT '{}'::jsonb,
    reported_version bigint      NOT NULL DEFAULT 0,
    updated_at       timestamptz NOT NULL DEFAULT now()
);

-- Events outlive their device on purpose (audit trail), so no foreign key.
CREATE TABLE events (
    id         bigserial   PRIMARY KEY,
    ts         timestamptz NOT NULL DEFAULT now(),
    device_id  text,
    kind       text        NOT NULL,
    severity   text        NOT NULL DEFAULT 'info',
    payload    jsonb       NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX events_device_ts_idx ON events (device_id, ts DESC);

-- Readings are partitioned by day; TelemetryPartitions creates days ahead and drops expired ones.
-- The primary key makes redelivered QoS 1 readings idempotent (ON CONFLICT DO NOTHING).
CREATE TABLE telemetry (
    device_id  text             NOT NULL,
    metric     text             NOT NULL,
    ts         timestamptz      NOT NULL,
    value      double precision NOT NULL,
    PRIMARY KEY (device_id, metric, ts)
) PARTITION BY RANGE (ts);

-- Catches readings from devices whose clocks are far off; moved into a day partition when one is created.
CREATE TABLE telemetry_default PARTITION OF telemetry DEFAULT;

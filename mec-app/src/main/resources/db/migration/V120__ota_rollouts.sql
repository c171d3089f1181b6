-- Firmware rollouts to devices in waves (issue 18): the state of every rollout, wave and device, so that a
-- restarted gateway resumes each rollout exactly where it was. Transitions go to the events table.

CREATE TABLE ota_rollouts (
    id          text        PRIMARY KEY,
    spec        jsonb       NOT NULL,
    state       text        NOT NULL,
    reason      text,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
CREATE INDEX ota_rollouts_active_idx ON ota_rollouts (state) WHERE state IN ('running', 'paused');

CREATE TABLE ota_rollout_waves (
    rollout_id  text        NOT NULL REFERENCES ota_rollouts (id) ON DELETE CASCADE,
    idx         integer     NOT NULL,
    name        text        NOT NULL,
    state       text        NOT NULL,
    started_at  timestamptz,
    ended_at    timestamptz,
    reason      text,
    PRIMARY KEY (rollout_id, idx)
);

-- No foreign key to devices: a rollout's record outlives a deleted device, like events do.
CREATE TABLE ota_rollout_devices (
    rollout_id        text        NOT NULL REFERENCES ota_rollouts (id) ON DELETE CASCADE,
    device_id         text        NOT NULL,
    wave              integer     NOT NULL,
    state             text        NOT NULL,
    result            integer     NOT NULL DEFAULT 0,
    error             text,
    since             timestamptz NOT NULL,
    notified_at       timestamptz,
    installed_at      timestamptz,
    previous_firmware jsonb,
    PRIMARY KEY (rollout_id, device_id)
);
CREATE INDEX ota_rollout_devices_device_idx ON ota_rollout_devices (device_id);

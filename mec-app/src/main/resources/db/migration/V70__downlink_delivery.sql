-- Downlink delivery (issue 17, CONTRACT-sync §3). mecgw_downlink_applied is replicated: the cloud reads each
-- command's status from it. outcome for commands: at-site | delivered | acknowledged | expired | failed; for
-- desired state: applied | stale. reason says why a command failed or a desired version was stale.
ALTER TABLE mecgw_downlink_applied ADD COLUMN reason text;
ALTER TABLE mecgw_downlink_applied ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

-- What the gateway still has to hand to a device: local-only (not replicated), one row per stored command.
-- handed_at is set once the MQTT broker stored the message for the device's sessions, so a restart hands over only
-- what was not handed yet (and CoAP's in-memory /commands again).
CREATE TABLE mecgw_command_outbox (
    id          text        PRIMARY KEY,
    device_id   text        NOT NULL,
    name        text        NOT NULL,
    payload     jsonb       NOT NULL,
    expires_at  timestamptz,
    handed_at   timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mecgw_command_outbox_device_idx ON mecgw_command_outbox (device_id, name, created_at);

-- Desired twin: one rule for cloud and local intents (docs/sync.md "Desired twin: cloud and local edits").
-- desired_version stays the device-facing counter, bumped by every applied change whatever its origin;
-- cloud_version is the last cloud version applied or superseded; desired_at the intent time of the current desired
-- document on the site's hybrid clock (never decreasing), desired_origin 'edge' or 'cloud'.
ALTER TABLE device_twins ADD COLUMN cloud_version bigint NOT NULL DEFAULT 0;
ALTER TABLE device_twins ADD COLUMN desired_at timestamptz;
ALTER TABLE device_twins ADD COLUMN desired_origin text NOT NULL DEFAULT 'edge';

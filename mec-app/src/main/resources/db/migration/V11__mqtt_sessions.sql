-- Persistent MQTT sessions (clean start = false, session expiry > 0) survive a gateway restart (issue #3).
-- Only offline queues and subscription changes are written; the online relay never touches these tables.

CREATE TABLE mqtt_sessions (
    client_id      text        PRIMARY KEY,
    device_id      text,
    device_type    text,
    subscriptions  jsonb       NOT NULL DEFAULT '[]'::jsonb,
    expiry_seconds bigint      NOT NULL,
    -- NULL while the client is connected: the expiry counts from the restart then.
    expires_at     timestamptz,
    updated_at     timestamptz NOT NULL DEFAULT now()
);

-- QoS 1/2 messages waiting for an offline persistent session, in broker sequence order.
CREATE TABLE mqtt_session_messages (
    client_id  text        NOT NULL REFERENCES mqtt_sessions (client_id) ON DELETE CASCADE,
    seq        bigint      NOT NULL,
    topic      text        NOT NULL,
    payload    bytea       NOT NULL,
    qos        smallint    NOT NULL,
    retain     boolean     NOT NULL,
    properties jsonb       NOT NULL DEFAULT '[]'::jsonb,
    expires_at timestamptz,
    PRIMARY KEY (client_id, seq)
);

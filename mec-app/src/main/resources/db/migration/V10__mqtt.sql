-- MQTT broker state (issue #3): ACL rules shared by MQTT and CoAP, and retained messages.

CREATE TABLE acl_rules (
    id           bigserial   PRIMARY KEY,
    device_type  text,
    action       text        NOT NULL CHECK (action IN ('PUBLISH', 'SUBSCRIBE')),
    topic_filter text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- One row per topic; an empty retained publish deletes the row (MQTT 5 section 3.3.1.3).
CREATE TABLE mqtt_retained (
    topic        text        PRIMARY KEY,
    payload      bytea       NOT NULL,
    qos          smallint    NOT NULL,
    properties   jsonb       NOT NULL DEFAULT '{}'::jsonb,
    expires_at   timestamptz,
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Issue 21: connection settings of southbound devices (Modbus TCP, IEC 60870-5-104, Sparkplug B). The public part is
-- JSON; the secrets a protocol declares are AES-GCM sealed with the data-dir key like PSKs and never replicated.
CREATE TABLE device_connections (
    device_id          text        PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
    settings           jsonb       NOT NULL,
    secrets_ciphertext bytea,
    secret_names       jsonb       NOT NULL DEFAULT '[]',
    updated_at         timestamptz NOT NULL DEFAULT now()
);

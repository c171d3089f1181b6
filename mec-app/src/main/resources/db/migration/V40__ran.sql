-- 5G network integration (issue 7): secrets of zero-touch onboarded devices, kept until the operator
-- fetches them once. AES-GCM ciphertext bound to the device id (SecretCipher), never the clear text.
CREATE TABLE ran_onboarding_secrets (
    device_id   text        PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
    ciphertext  bytea       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

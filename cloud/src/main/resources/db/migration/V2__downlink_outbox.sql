-- Downlink outbox (issue 17 item 4): a command or desired state is committed first and sent to Kafka after the
-- commit, so a rolled-back request never reaches a site; sent_at records Kafka's acknowledgement. A row without it
-- (Kafka was down, or the cloud crashed between commit and send) is sent again by the resend loop of every
-- instance (docs/cloud.md); the gateway applies each id once, so a second send is harmless.
ALTER TABLE cloud_commands ADD COLUMN sent_at timestamptz;
-- Rows written before this migration were sent inside their transaction.
UPDATE cloud_commands SET sent_at = created_at;
CREATE INDEX cloud_commands_unsent_idx ON cloud_commands (created_at) WHERE sent_at IS NULL;

-- Review r8: a command's device-facing bytes come from payload_text alone. Rows stored before V240 get the text
-- PostgreSQL writes for their jsonb, which is what they were sent as until now, so nothing changes for them; from
-- here every writer (the REST API, the console, the cloud's downlink) stores the text, and NOT NULL holds them to it.
-- payload (jsonb) stays: the sync library's downlink applier writes it, and it refuses what is not JSON. The outbox
-- is local-only (not replicated), so neither column is part of the CDC contract; docs/commands.md.
UPDATE mecgw_command_outbox SET payload_text = payload::text WHERE payload_text IS NULL;
ALTER TABLE mecgw_command_outbox ALTER COLUMN payload_text SET NOT NULL;

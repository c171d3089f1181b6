-- A command's payload exactly as the gateway received it (review of CloudGatewayIT, 2026-12-06). jsonb keeps the
-- value but not its text: PostgreSQL writes it back its own way ({"delay": 5}, keys sorted by length), so a command
-- handed later from this table reached the device with other bytes than one handed at once. Devices now get
-- payload_text on every path (docs/commands.md); payload (jsonb) stays, it still refuses a payload that is not JSON.
-- Rows stored before this migration have no text and go out as payload::text, as they did before.
ALTER TABLE mecgw_command_outbox ADD COLUMN payload_text text;

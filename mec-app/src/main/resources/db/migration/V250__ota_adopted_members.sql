-- Late members of a settled rollout (issue 18 item 2, docs/ota.md "Dynamic membership"): a device registered or
-- labelled after a selector rollout succeeded is adopted by it. adopted_at marks those rows, which keep their own
-- state and never count in a wave's verdict.
ALTER TABLE ota_rollout_devices ADD COLUMN adopted_at timestamptz;

-- Each tick looks for adopted devices that still move (notified to installed, or timed out and watched).
CREATE INDEX ota_rollout_devices_adopted_idx ON ota_rollout_devices (rollout_id, state) WHERE adopted_at IS NOT NULL;

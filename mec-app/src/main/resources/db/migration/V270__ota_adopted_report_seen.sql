-- A timed-out device adopted by a settled rollout is looked at again only when it reports on that rollout after it
-- timed out (or a newer rollout takes it), not on every tick (docs/ota.md "Dynamic membership"). reported_seen is
-- the device twin's reported_version the rollout last read for such a device; null until it timed out.
ALTER TABLE ota_rollout_devices ADD COLUMN reported_seen bigint;

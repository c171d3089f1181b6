-- The edge's device_twins gained reported_key_versions (edge V280: per reported key, the version of the last report
-- that carried it, which OTA uses to tell a new firmware report from an old one). Typed here rather than piling into
-- extra on every report; a site that has not upgraded yet leaves it null.
ALTER TABLE device_twins ADD COLUMN reported_key_versions jsonb;

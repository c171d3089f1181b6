-- Per top-level key of the reported twin, the reported_version of the last report that carried it. Every report raises
-- reported_version, whatever it says: an OTA rollout must tell a new firmware report from a report of another key
-- (a sensor setting) with the old firmware object still beside it (docs/ota.md "Which report counts").
ALTER TABLE device_twins ADD COLUMN reported_key_versions jsonb NOT NULL DEFAULT '{}'::jsonb;

-- Which report last carried a key is not known for twins reported before: each key counts as reported at the twin's
-- current version, so no report from before counts as new.
UPDATE device_twins t SET reported_key_versions = k.versions
FROM (SELECT device_id, jsonb_object_agg(k.name, reported_version) AS versions
      FROM device_twins,
           jsonb_object_keys(CASE WHEN jsonb_typeof(reported) = 'object' THEN reported ELSE '{}'::jsonb END) AS k(name)
      GROUP BY device_id) k
WHERE t.device_id = k.device_id;

-- Rollouts stored before the vision gate (issue 18 item 5, commit a80d6b9) have no maxDetectionsPerFrameDelta and
-- minFrames in spec.gate; read as they were, both came out 0 (no tolerance, no frames needed), which changes what
-- their gate means. A rollout's gate is part of its plan, fixed when it is created (ModelRolloutPlanner writes the
-- defaults in force then), shown by GET and sent alike to every wave's sites. So the old rows get the documented
-- defaults written in once, as every rollout planned with the defaults since has them, rather than a "use the
-- configured default" read that a later change of mecgw.cloud.model-rollouts.gate.* would retune mid-rollout.
-- Keys a row already has (written by the code that knew them) are kept. The values are ModelRolloutsConfig.Gate's
-- @WithDefault ones; PostgresModelRolloutStoreTest holds them equal.
UPDATE cloud_model_rollouts
   SET spec = jsonb_set(
           spec,
           '{gate}',
           jsonb_build_object('maxDetectionsPerFrameDelta', 0.2, 'minFrames', 100)
               || coalesce(spec -> 'gate', '{}'::jsonb))
 WHERE jsonb_typeof(spec -> 'gate') IS DISTINCT FROM 'object'
    OR NOT (spec -> 'gate') ?& ARRAY['maxDetectionsPerFrameDelta', 'minFrames'];

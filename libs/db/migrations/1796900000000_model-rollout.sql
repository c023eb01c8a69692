-- Up Migration

-- A gradual rollout: one registered version (role 'rollout') serves the share of live customers whose
-- customer hash falls below rollout_share, the champion the others. The share lies strictly between 0
-- and 1: 0 is a rollback (the version goes back to 'registered') and 1 a promotion (it becomes champion).
ALTER TABLE model_versions DROP CONSTRAINT model_versions_role_check;
ALTER TABLE model_versions ADD CONSTRAINT model_versions_role_check CHECK (role IN ('registered', 'champion', 'shadow', 'rollout', 'retired'));
ALTER TABLE model_versions ADD COLUMN rollout_share double precision CHECK (rollout_share > 0 AND rollout_share < 1);
ALTER TABLE model_versions ADD CONSTRAINT model_versions_rollout_share_iff_rollout CHECK ((role = 'rollout') = (rollout_share IS NOT NULL));
CREATE UNIQUE INDEX model_versions_one_rollout ON model_versions (role) WHERE role = 'rollout';

-- Down Migration
UPDATE model_versions SET role = 'registered' WHERE role = 'rollout';
DROP INDEX model_versions_one_rollout;
ALTER TABLE model_versions DROP CONSTRAINT model_versions_rollout_share_iff_rollout;
ALTER TABLE model_versions DROP COLUMN rollout_share;
ALTER TABLE model_versions DROP CONSTRAINT model_versions_role_check;
ALTER TABLE model_versions ADD CONSTRAINT model_versions_role_check CHECK (role IN ('registered', 'champion', 'shadow', 'retired'));

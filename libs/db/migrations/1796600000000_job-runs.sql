-- Up Migration

-- The platform's history of scheduled jobs (rescore, retrain, promotion-gate, label-window closing,
-- reports), written by libs/scheduler around each attempt pg-boss hands to a worker. pg-boss keeps
-- its own queue tables in the `pgboss` schema; this table is the history the platform owns, reads
-- (`GET /v1/jobs/runs`, `churn jobs runs`) and keeps after pg-boss has deleted a finished job.
-- run_id is pg-boss's job id: one schedule tick is one job, so one row; a retry of the same job
-- updates the row (attempt, status) instead of adding one.
CREATE TABLE job_runs (
  run_id        text PRIMARY KEY,
  job           text NOT NULL,
  trigger       text NOT NULL CHECK (trigger IN ('schedule', 'manual')),
  attempt       integer NOT NULL DEFAULT 0 CHECK (attempt >= 0),
  status        text NOT NULL CHECK (status IN ('running', 'succeeded', 'retrying', 'failed')),
  worker        text NOT NULL,
  scheduled_at  timestamptz NOT NULL,
  started_at    timestamptz NOT NULL,
  finished_at   timestamptz,
  result        jsonb,
  error         text
);
-- The history, newest first, of every job or of one.
CREATE INDEX job_runs_job_started ON job_runs (job, started_at DESC);
CREATE INDEX job_runs_started ON job_runs (started_at DESC);

-- Down Migration
DROP TABLE job_runs;

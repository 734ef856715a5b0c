-- inline runs: the ephemeral package each one ran (the original's shadow @inline/r-<uuid>), purged with its run
-- after INLINE_RUN_LIMITS.retention_days; and the per-run transcript the run inspector reads
CREATE TABLE inline_packages (
  id text PRIMARY KEY,
  org_id text NOT NULL,
  application_id text NOT NULL,
  run_id text,
  manifest json NOT NULL,
  prompt text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX idx_inline_packages_created ON inline_packages(created_at);
CREATE INDEX idx_inline_packages_run ON inline_packages(run_id);
CREATE TABLE run_transcript (
  run_id text NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  seq bigint NOT NULL,
  kind text NOT NULL,
  data jsonb NOT NULL,
  PRIMARY KEY (run_id, seq)
);

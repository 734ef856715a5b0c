-- inline runs: the ephemeral package each one ran (the original's shadow @inline/r-<uuid>), purged with its run
-- after INLINE_RUN_LIMITS.retention_days; and the per-run transcript the run inspector reads
CREATE TABLE inline_packages (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  application_id TEXT NOT NULL,
  run_id TEXT,
  manifest TEXT NOT NULL,
  prompt TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX idx_inline_packages_created ON inline_packages(created_at);
CREATE INDEX idx_inline_packages_run ON inline_packages(run_id);
CREATE TABLE run_transcript (
  run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)
);

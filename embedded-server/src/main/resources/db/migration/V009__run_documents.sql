-- documents a run's agent published (the original's agent_output documents); the bytes live in the blob store under
-- runs/<run_id>/documents/<id>, deleted with the run
CREATE TABLE run_documents (
  id TEXT PRIMARY KEY,
  run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  application_id TEXT NOT NULL,
  package_id TEXT,
  name TEXT NOT NULL,
  mime TEXT NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  presentation TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX idx_run_documents_run ON run_documents(run_id);
CREATE INDEX idx_run_documents_app ON run_documents(application_id, created_at);

-- documents a run's agent published (the original's agent_output documents); the bytes live in the blob store under
-- runs/<run_id>/documents/<id>, deleted with the run
CREATE TABLE run_documents (
  id text PRIMARY KEY,
  run_id text NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  application_id text NOT NULL,
  package_id text,
  name text NOT NULL,
  mime text NOT NULL,
  size bigint NOT NULL,
  sha256 text NOT NULL,
  presentation text,
  created_at timestamptz NOT NULL
);
CREATE INDEX idx_run_documents_run ON run_documents(run_id);
CREATE INDEX idx_run_documents_app ON run_documents(application_id, created_at);

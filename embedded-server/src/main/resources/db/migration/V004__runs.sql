-- model providers (keys sealed by the secrets module), runs and their logs
CREATE TABLE model_provider_credentials (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  provider_id TEXT NOT NULL,
  label TEXT NOT NULL,
  base_url TEXT NOT NULL,
  api_key_encrypted TEXT,
  created_by TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE org_models (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  credential_id TEXT NOT NULL REFERENCES model_provider_credentials(id) ON DELETE CASCADE,
  model_id TEXT NOT NULL,
  label TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  is_default INTEGER NOT NULL DEFAULT 0,
  cost TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE runs (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  application_id TEXT NOT NULL,
  package_id TEXT,
  version_label TEXT,
  run_number INTEGER NOT NULL,
  status TEXT NOT NULL,
  input TEXT,
  output TEXT,
  error TEXT,
  user_id TEXT,
  end_user_id TEXT,
  api_key_id TEXT,
  schedule_id TEXT,
  model_label TEXT,
  model_source TEXT,
  token_usage TEXT,
  cost REAL,
  timeout_seconds INTEGER NOT NULL,
  runner_kind TEXT,
  last_event_sequence INTEGER NOT NULL DEFAULT 0,
  last_heartbeat_at TEXT,
  sink_closed_at TEXT,
  started_at TEXT NOT NULL,
  completed_at TEXT,
  duration INTEGER
);
CREATE INDEX idx_runs_app_started ON runs(application_id, started_at DESC);
CREATE INDEX idx_runs_status ON runs(status);
CREATE INDEX idx_runs_package ON runs(application_id, package_id, started_at DESC);
CREATE TABLE run_logs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  org_id TEXT NOT NULL,
  type TEXT NOT NULL,
  level TEXT NOT NULL,
  event TEXT,
  message TEXT,
  data TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX idx_run_logs_run ON run_logs(run_id, id);

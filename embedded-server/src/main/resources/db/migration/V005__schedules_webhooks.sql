-- cron schedules of agents, their fires (one row per occurrence), outbound webhooks and their durable deliveries
CREATE TABLE schedules (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  package_id TEXT NOT NULL,
  user_id TEXT,
  end_user_id TEXT REFERENCES end_users(id) ON DELETE CASCADE,
  name TEXT,
  enabled INTEGER NOT NULL DEFAULT 1,
  cron_expression TEXT NOT NULL,
  timezone TEXT NOT NULL DEFAULT 'UTC',
  input TEXT NOT NULL DEFAULT '{}',
  model_id_override TEXT,
  generation_config_override TEXT,
  proxy_id_override TEXT,
  version_override TEXT,
  connection_overrides TEXT,
  dependency_overrides TEXT,
  last_run_at INTEGER,
  next_run_at INTEGER,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK (enabled = 1 OR next_run_at IS NULL)
);
CREATE INDEX idx_schedules_app ON schedules(application_id, package_id);
CREATE INDEX idx_schedules_due ON schedules(next_run_at) WHERE enabled = 1;
-- the primary key is the exactly-once guard: one occurrence of a schedule starts at most one run
CREATE TABLE schedule_fires (
  schedule_id TEXT NOT NULL REFERENCES schedules(id) ON DELETE CASCADE,
  fire_time INTEGER NOT NULL,
  trigger TEXT NOT NULL CHECK (trigger IN ('cron', 'manual')),
  status TEXT NOT NULL CHECK (status IN ('pending', 'started', 'failed', 'skipped')),
  run_id TEXT,
  error TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (schedule_id, fire_time)
);
CREATE TABLE webhooks (
  id TEXT PRIMARY KEY,
  level TEXT NOT NULL CHECK (level IN ('org', 'application')),
  org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  application_id TEXT REFERENCES applications(id) ON DELETE CASCADE,
  url TEXT NOT NULL,
  events TEXT NOT NULL,
  package_id TEXT,
  payload_mode TEXT NOT NULL DEFAULT 'full' CHECK (payload_mode IN ('full', 'summary')),
  enabled INTEGER NOT NULL DEFAULT 1,
  secret TEXT NOT NULL,
  secret_next TEXT,
  secret_next_expires_at INTEGER,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK ((level = 'org') = (application_id IS NULL))
);
CREATE INDEX idx_webhooks_org ON webhooks(org_id, application_id);
-- one row per event sent to one webhook; its attempts are in webhook_delivery_attempts
CREATE TABLE webhook_deliveries (
  id TEXT PRIMARY KEY,
  webhook_id TEXT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
  event_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'success', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  next_attempt_at INTEGER,
  status_code INTEGER,
  latency INTEGER,
  error TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX idx_webhook_deliveries_list ON webhook_deliveries(webhook_id, created_at DESC);
CREATE INDEX idx_webhook_deliveries_due ON webhook_deliveries(next_attempt_at) WHERE status = 'pending';
CREATE TABLE webhook_delivery_attempts (
  delivery_id TEXT NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
  attempt INTEGER NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('success', 'retry', 'failed')),
  status_code INTEGER,
  latency INTEGER,
  error TEXT,
  attempted_at TEXT NOT NULL,
  PRIMARY KEY (delivery_id, attempt)
);

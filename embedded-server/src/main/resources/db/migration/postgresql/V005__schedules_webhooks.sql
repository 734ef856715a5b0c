-- cron schedules of agents, their fires (one row per occurrence), outbound webhooks and their durable deliveries
-- (last_run_at, next_run_at, fire_time, next_attempt_at, secret_next_expires_at: epoch milliseconds as on SQLite)
CREATE TABLE schedules (
  id text PRIMARY KEY,
  org_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  application_id text NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  package_id text NOT NULL,
  user_id text,
  end_user_id text REFERENCES end_users(id) ON DELETE CASCADE,
  name text,
  enabled bigint NOT NULL DEFAULT 1,
  cron_expression text NOT NULL,
  timezone text NOT NULL DEFAULT 'UTC',
  input jsonb NOT NULL DEFAULT '{}',
  model_id_override text,
  generation_config_override jsonb,
  proxy_id_override text,
  version_override text,
  connection_overrides jsonb,
  dependency_overrides jsonb,
  last_run_at bigint,
  next_run_at bigint,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK (enabled = 1 OR next_run_at IS NULL)
);
CREATE INDEX idx_schedules_app ON schedules(application_id, package_id);
CREATE INDEX idx_schedules_due ON schedules(next_run_at) WHERE enabled = 1;
-- the primary key is the exactly-once guard: one occurrence of a schedule starts at most one run
CREATE TABLE schedule_fires (
  schedule_id text NOT NULL REFERENCES schedules(id) ON DELETE CASCADE,
  fire_time bigint NOT NULL,
  trigger text NOT NULL CHECK (trigger IN ('cron', 'manual')),
  status text NOT NULL CHECK (status IN ('pending', 'started', 'failed', 'skipped')),
  run_id text,
  error text,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (schedule_id, fire_time)
);
CREATE TABLE webhooks (
  id text PRIMARY KEY,
  level text NOT NULL CHECK (level IN ('org', 'application')),
  org_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  application_id text REFERENCES applications(id) ON DELETE CASCADE,
  url text NOT NULL,
  events jsonb NOT NULL,
  package_id text,
  payload_mode text NOT NULL DEFAULT 'full' CHECK (payload_mode IN ('full', 'summary')),
  enabled bigint NOT NULL DEFAULT 1,
  secret text NOT NULL,
  secret_next text,
  secret_next_expires_at bigint,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK ((level = 'org') = (application_id IS NULL))
);
CREATE INDEX idx_webhooks_org ON webhooks(org_id, application_id);
-- one row per event sent to one webhook; its attempts are in webhook_delivery_attempts
CREATE TABLE webhook_deliveries (
  id text PRIMARY KEY,
  webhook_id text NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
  event_id text NOT NULL,
  event_type text NOT NULL,
  payload json NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'success', 'failed')),
  attempts bigint NOT NULL DEFAULT 0,
  max_attempts bigint NOT NULL,
  next_attempt_at bigint,
  status_code bigint,
  latency bigint,
  error text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX idx_webhook_deliveries_list ON webhook_deliveries(webhook_id, created_at DESC);
CREATE INDEX idx_webhook_deliveries_due ON webhook_deliveries(next_attempt_at) WHERE status = 'pending';
CREATE TABLE webhook_delivery_attempts (
  delivery_id text NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
  attempt bigint NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('success', 'retry', 'failed')),
  status_code bigint,
  latency bigint,
  error text,
  attempted_at timestamptz NOT NULL,
  PRIMARY KEY (delivery_id, attempt)
);

-- integrations (from packages or created locally) and their connections; credentials sealed as v1:<kid>:… envelopes
CREATE TABLE integrations (
  org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  package_id TEXT NOT NULL,
  display_name TEXT NOT NULL,
  manifest TEXT NOT NULL,
  source TEXT NOT NULL DEFAULT 'local',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (org_id, package_id)
);
CREATE TABLE integration_connections (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  integration_package_id TEXT NOT NULL,
  auth_key TEXT NOT NULL CHECK (auth_key GLOB '[a-z]*' AND auth_key NOT GLOB '*[^a-z0-9_]*'),
  account_id TEXT NOT NULL,
  application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  user_id TEXT,
  end_user_id TEXT REFERENCES end_users(id) ON DELETE CASCADE,
  credentials_encrypted TEXT NOT NULL,
  credential_hints TEXT NOT NULL DEFAULT '{}',
  label TEXT,
  shared_with_org INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK ((user_id IS NULL) <> (end_user_id IS NULL)),
  FOREIGN KEY (org_id, integration_package_id) REFERENCES integrations(org_id, package_id) ON DELETE CASCADE
);
CREATE INDEX idx_integration_connections_app ON integration_connections(application_id, integration_package_id, auth_key);
CREATE INDEX idx_integration_connections_end_user ON integration_connections(end_user_id) WHERE end_user_id IS NOT NULL;

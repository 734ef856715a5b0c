-- integrations (from packages or created locally) and their connections; credentials sealed as v1:<kid>:… envelopes
CREATE TABLE integrations (
  org_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  package_id text NOT NULL,
  display_name text NOT NULL,
  manifest json NOT NULL,
  source text NOT NULL DEFAULT 'local',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (org_id, package_id)
);
CREATE TABLE integration_connections (
  id text PRIMARY KEY,
  org_id text NOT NULL,
  integration_package_id text NOT NULL,
  auth_key text NOT NULL CHECK (auth_key ~ '^[a-z][a-z0-9_]*$'),
  account_id text NOT NULL,
  application_id text NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  user_id text,
  end_user_id text REFERENCES end_users(id) ON DELETE CASCADE,
  credentials_encrypted text NOT NULL,
  credential_hints jsonb NOT NULL DEFAULT '{}',
  label text,
  shared_with_org bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK ((user_id IS NULL) <> (end_user_id IS NULL)),
  FOREIGN KEY (org_id, integration_package_id) REFERENCES integrations(org_id, package_id) ON DELETE CASCADE
);
CREATE INDEX idx_integration_connections_app ON integration_connections(application_id, integration_package_id, auth_key);
CREATE INDEX idx_integration_connections_end_user ON integration_connections(end_user_id) WHERE end_user_id IS NOT NULL;

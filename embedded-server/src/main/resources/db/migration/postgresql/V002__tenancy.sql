-- one local organization, its applications, API keys and end-users (the original's tables, trimmed)
CREATE TABLE organizations (
  id text PRIMARY KEY,
  name text NOT NULL,
  slug text NOT NULL UNIQUE,
  org_settings jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE TABLE applications (
  id text PRIMARY KEY,
  org_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  name text NOT NULL,
  is_default bigint NOT NULL DEFAULT 0,
  settings jsonb NOT NULL DEFAULT '{}',
  created_by text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX idx_applications_one_default ON applications(org_id) WHERE is_default = 1;
CREATE TABLE api_keys (
  id text PRIMARY KEY,
  org_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  application_id text NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  name text NOT NULL,
  key_hash text NOT NULL UNIQUE,
  key_prefix text NOT NULL,
  scopes jsonb NOT NULL DEFAULT '[]',
  created_by text,
  expires_at timestamptz,
  last_used_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL
);
CREATE TABLE end_users (
  id text PRIMARY KEY,
  application_id text NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  org_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  external_id text,
  name text,
  email text,
  metadata jsonb,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX idx_end_users_external ON end_users(application_id, external_id) WHERE external_id IS NOT NULL;
CREATE UNIQUE INDEX idx_end_users_email ON end_users(application_id, email) WHERE email IS NOT NULL;
CREATE INDEX idx_end_users_order ON end_users(application_id, created_at DESC, id DESC);

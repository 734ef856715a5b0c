-- packages of the organization (agents, skills), their immutable versions, and installs per application
CREATE TABLE packages (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  type TEXT NOT NULL CHECK (type IN ('agent','skill','integration','mcp-server')),
  source TEXT NOT NULL DEFAULT 'local',
  draft_manifest TEXT NOT NULL,
  draft_content TEXT NOT NULL,
  lock_version INTEGER NOT NULL DEFAULT 1,
  auto_installed INTEGER NOT NULL DEFAULT 0,
  forked_from TEXT,
  created_by TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX idx_packages_org ON packages(org_id, type);
CREATE TABLE package_versions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  package_id TEXT NOT NULL REFERENCES packages(id) ON DELETE CASCADE,
  version TEXT NOT NULL,
  integrity TEXT NOT NULL,
  artifact_size INTEGER NOT NULL,
  manifest TEXT NOT NULL,
  content TEXT NOT NULL,
  yanked INTEGER NOT NULL DEFAULT 0,
  yanked_reason TEXT,
  created_by TEXT,
  created_at TEXT NOT NULL,
  UNIQUE (package_id, version)
);
CREATE TABLE application_packages (
  application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  package_id TEXT NOT NULL REFERENCES packages(id) ON DELETE CASCADE,
  version_id INTEGER REFERENCES package_versions(id) ON DELETE SET NULL,
  input_settings TEXT NOT NULL DEFAULT '{"values":{},"locked":[]}',
  model_id TEXT,
  generation_config TEXT,
  proxy_id TEXT,
  enabled INTEGER NOT NULL DEFAULT 1,
  installed_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (application_id, package_id)
);
CREATE INDEX idx_application_packages_package ON application_packages(package_id);

-- the original's model fields: capabilities (input, contextWindow, maxTokens, reasoning as JSON), the managed flag, the author
ALTER TABLE org_models ADD COLUMN capabilities jsonb;
ALTER TABLE org_models ADD COLUMN aliased bigint NOT NULL DEFAULT 0;
ALTER TABLE org_models ADD COLUMN created_by text;

-- An impersonated end-user's lists (Appstrate-User) read its own runs newest first, and its documents through them:
-- without an index on the end-user they scanned every run of the application.
CREATE INDEX idx_runs_end_user ON runs(application_id, end_user_id, started_at DESC);

-- facts about this database: when it was created, by which version
CREATE TABLE server_meta (
  key text PRIMARY KEY,
  value text NOT NULL
);

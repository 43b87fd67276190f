-- Secrets of this installation (the key that signs form tokens and trusted-device cookies),
-- made on first use and shared by every instance on this database.
CREATE TABLE instance_secrets (
    name TEXT PRIMARY KEY,
    secret TEXT NOT NULL
);

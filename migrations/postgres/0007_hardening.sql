-- Secrets of this installation (the key that signs form tokens and trusted-device cookies),
-- made on first use and shared by every instance on this database.
CREATE TABLE instance_secrets (
    name TEXT PRIMARY KEY,
    secret TEXT NOT NULL
);

-- The actor as the proposer saw it (NULL for a new actor, and for proposals made before this):
-- accepting applies only the fields the proposer changed against it.
ALTER TABLE proposals ADD COLUMN base_payload TEXT;

-- The account behind a name written into the case studies' history, so that deleting the
-- account replaces the name there (rows written before this stay as they are).
ALTER TABLE case_study_log ADD COLUMN who_id BIGINT;
ALTER TABLE notifications ADD COLUMN who_id BIGINT;
ALTER TABLE case_study_approvals ADD COLUMN approved_by_id BIGINT;

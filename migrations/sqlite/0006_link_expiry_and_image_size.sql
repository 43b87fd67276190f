-- Personal approval links stop working after a while (seconds since the epoch; NULL: no link).
ALTER TABLE case_study_approvals ADD COLUMN token_expires_at INTEGER;
-- Links handed out before this release keep working for 30 days from now.
UPDATE case_study_approvals SET token_expires_at = CAST(strftime('%s', 'now') AS INTEGER) + 2592000 WHERE token_hash IS NOT NULL;

-- Each image's size in bytes, for the daily upload allowance (older rows count as 0).
ALTER TABLE images ADD COLUMN size INTEGER NOT NULL DEFAULT 0;

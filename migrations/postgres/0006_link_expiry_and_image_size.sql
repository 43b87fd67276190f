-- Personal approval links stop working after a while (seconds since the epoch; NULL: no link).
ALTER TABLE case_study_approvals ADD COLUMN token_expires_at BIGINT;

-- Each image's size in bytes, for the daily upload allowance (older rows count as 0).
ALTER TABLE images ADD COLUMN size BIGINT NOT NULL DEFAULT 0;

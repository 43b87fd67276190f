-- Personal approval links stop working after a while (seconds since the epoch; NULL: no link).
ALTER TABLE case_study_approvals ADD COLUMN token_expires_at BIGINT;

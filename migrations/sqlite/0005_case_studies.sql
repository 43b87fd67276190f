-- Case studies written by partners: structured content, revisions, the approval workflow with the
-- partner organisations, uploaded images, in-app notifications and the playbook (SQLite).

-- An account can speak for one organisation on the map: it approves that organisation's stories.
ALTER TABLE users ADD COLUMN actor_id INTEGER REFERENCES actors (id) ON DELETE SET NULL;

ALTER TABLE case_studies ADD COLUMN region TEXT NOT NULL DEFAULT '';
ALTER TABLE case_studies ADD COLUMN connection_id INTEGER REFERENCES connections (id) ON DELETE SET NULL;
-- One key figure per line: "Wert | Bezeichnung".
ALTER TABLE case_studies ADD COLUMN key_figures TEXT NOT NULL DEFAULT '';
ALTER TABLE case_studies ADD COLUMN quote_by TEXT NOT NULL DEFAULT '';
ALTER TABLE case_studies ADD COLUMN contact TEXT NOT NULL DEFAULT '';
-- JSON list of {"name": …, "alt": …}; the bytes live in `images`.
ALTER TABLE case_studies ADD COLUMN images TEXT NOT NULL DEFAULT '[]';
-- Optimistic locking: every save names the version it started from and bumps it.
ALTER TABLE case_studies ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
-- The last reviewer's or partner's comment when a story was sent back.
ALTER TABLE case_studies ADD COLUMN review_comment TEXT NOT NULL DEFAULT '';

CREATE TABLE case_study_topics (
    case_study_id INTEGER NOT NULL REFERENCES case_studies (id) ON DELETE CASCADE,
    term_id INTEGER NOT NULL REFERENCES taxonomy_terms (id) ON DELETE CASCADE,
    PRIMARY KEY (case_study_id, term_id)
);

CREATE TABLE case_study_revisions (
    id INTEGER PRIMARY KEY,
    case_study_id INTEGER NOT NULL REFERENCES case_studies (id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    author_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    author_name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    -- The whole content as JSON, so any two revisions can be compared and one restored.
    content TEXT NOT NULL,
    UNIQUE (case_study_id, version)
);

-- Autosaved work in progress, one per person and story; replaced on every autosave, removed on save.
CREATE TABLE case_study_drafts (
    case_study_id INTEGER NOT NULL REFERENCES case_studies (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    base_version INTEGER NOT NULL,
    content TEXT NOT NULL,
    saved_at INTEGER NOT NULL,
    PRIMARY KEY (case_study_id, user_id)
);

-- One row per partner organisation while a story waits for approval.
CREATE TABLE case_study_approvals (
    case_study_id INTEGER NOT NULL REFERENCES case_studies (id) ON DELETE CASCADE,
    actor_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    token_hash TEXT UNIQUE,
    approved_at INTEGER,
    approved_by TEXT,
    PRIMARY KEY (case_study_id, actor_id)
);

-- The workflow's history: who took which step, with the comment.
CREATE TABLE case_study_log (
    id INTEGER PRIMARY KEY,
    case_study_id INTEGER NOT NULL REFERENCES case_studies (id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    who TEXT NOT NULL,
    step TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_study_log_study ON case_study_log (case_study_id);

-- Uploaded images, named by the SHA-256 of their bytes: no user-chosen names or paths.
CREATE TABLE images (
    name TEXT PRIMARY KEY,
    content_type TEXT NOT NULL,
    bytes BLOB NOT NULL,
    uploaded_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    case_study_id INTEGER REFERENCES case_studies (id) ON DELETE CASCADE,
    step TEXT NOT NULL,
    who TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    read_at INTEGER
);
CREATE INDEX notifications_user ON notifications (user_id, read_at);

CREATE TABLE playbook (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    intro TEXT NOT NULL DEFAULT '',
    method TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    updated_at INTEGER NOT NULL DEFAULT 0
);
INSERT INTO playbook (id) VALUES (1);

CREATE TABLE playbook_entries (
    case_study_id INTEGER PRIMARY KEY REFERENCES case_studies (id) ON DELETE CASCADE,
    position INTEGER NOT NULL
);

-- Bumped in the same transaction as every change to published content: the render cache of the
-- public pages compares it, on every instance.
CREATE TABLE case_revision (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    revision INTEGER NOT NULL
);
INSERT INTO case_revision (id, revision) VALUES (1, 1);

-- The actor map: logos and published contacts, proposals from the public, and a revision counter
-- that every change to the public network bumps so caches in every instance notice (SQLite).

ALTER TABLE actors ADD COLUMN logo_url TEXT;
ALTER TABLE actors ADD COLUMN contact_public INTEGER NOT NULL DEFAULT 0 CHECK (contact_public IN (0, 1));

CREATE INDEX actors_town ON actors (town);
CREATE INDEX actor_terms_term_id ON actor_terms (term_id);

-- An entry or a correction proposed by anyone; `payload` is the proposed actor as JSON.
-- The proposer's address is kept only while the proposal is open.
CREATE TABLE proposals (
    id INTEGER PRIMARY KEY,
    actor_id INTEGER REFERENCES actors (id) ON DELETE CASCADE,
    payload TEXT NOT NULL,
    message TEXT NOT NULL DEFAULT '',
    proposer_name TEXT NOT NULL,
    proposer_email TEXT,
    status TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'rejected')),
    created_at INTEGER NOT NULL,
    decided_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    decided_at INTEGER
);
CREATE INDEX proposals_status ON proposals (status, created_at);

CREATE TABLE network_revision (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    revision INTEGER NOT NULL
);
INSERT INTO network_revision (id, revision) VALUES (1, 1);

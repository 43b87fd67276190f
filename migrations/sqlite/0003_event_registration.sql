-- Events as organisers plan them (registration window, rounds, tables, what happens with an odd
-- person) and registrations with a kind, topics, a personal link and check-out (SQLite).

ALTER TABLE events ADD COLUMN registration_opens TEXT;
ALTER TABLE events ADD COLUMN registration_closes TEXT;
ALTER TABLE events ADD COLUMN rounds INTEGER NOT NULL DEFAULT 6;
ALTER TABLE events ADD COLUMN tables INTEGER NOT NULL DEFAULT 20;
ALTER TABLE events ADD COLUMN seats INTEGER NOT NULL DEFAULT 3;
ALTER TABLE events ADD COLUMN odd_sits_out INTEGER NOT NULL DEFAULT 0 CHECK (odd_sits_out IN (0, 1));

ALTER TABLE registrations ADD COLUMN organisation TEXT NOT NULL DEFAULT '';
ALTER TABLE registrations ADD COLUMN kind TEXT;
-- SHA-256 of the personal link's token; the token itself is only in the link.
ALTER TABLE registrations ADD COLUMN token_hash TEXT;
ALTER TABLE registrations ADD COLUMN at_the_door INTEGER NOT NULL DEFAULT 0 CHECK (at_the_door IN (0, 1));
ALTER TABLE registrations ADD COLUMN checked_out_at INTEGER;
CREATE UNIQUE INDEX registrations_token_hash ON registrations (token_hash);

CREATE TABLE registration_terms (
    registration_id INTEGER NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    term_id INTEGER NOT NULL REFERENCES taxonomy_terms (id) ON DELETE CASCADE,
    PRIMARY KEY (registration_id, term_id)
);

-- Who wants (or does not want) to meet whom at an event: `wish` is muss, gern or nein.
CREATE TABLE wishes (
    from_registration INTEGER NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    to_registration INTEGER NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    wish TEXT NOT NULL CHECK (wish IN ('muss', 'gern', 'nein')),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (from_registration, to_registration),
    CHECK (from_registration <> to_registration)
);
CREATE INDEX wishes_to_registration ON wishes (to_registration);

-- Matchmaking rounds as planned from the people checked in: who sits at which table, who rests.
CREATE TABLE rounds (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (event_id, number)
);
CREATE TABLE meetings (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    table_number INTEGER NOT NULL,
    points INTEGER NOT NULL,
    UNIQUE (round_id, table_number)
);
CREATE TABLE meeting_people (
    meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    registration_id INTEGER NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    PRIMARY KEY (meeting_id, registration_id)
);
CREATE INDEX meeting_people_registration ON meeting_people (registration_id);
CREATE TABLE round_rests (
    round_id INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    registration_id INTEGER NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    reason TEXT NOT NULL CHECK (reason IN ('bye', 'no_partner', 'no_table')),
    PRIMARY KEY (round_id, registration_id)
);

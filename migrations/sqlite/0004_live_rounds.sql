-- Live rounds: a round's clock (started, paused, ended; seconds since the epoch), what both sides
-- say after a meeting, and the follow-ups an organiser confirmed as connections (SQLite).

ALTER TABLE rounds ADD COLUMN started_at INTEGER;
ALTER TABLE rounds ADD COLUMN paused_at INTEGER;
ALTER TABLE rounds ADD COLUMN paused_secs INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rounds ADD COLUMN ended_at INTEGER;
-- The length is fixed when the round is planned: editing the event does not move a running clock.
ALTER TABLE rounds ADD COLUMN minutes INTEGER NOT NULL DEFAULT 8;
-- Counts the organisers' seat changes, so phones know to look again.
ALTER TABLE rounds ADD COLUMN seating INTEGER NOT NULL DEFAULT 0;

-- Bookable slots: participants request meetings, the other side answers, and accepted ones are
-- placed into the event's slots (rounds × minutes) and tables.
ALTER TABLE events ADD COLUMN format TEXT NOT NULL DEFAULT 'runden' CHECK (format IN ('runden', 'termine'));
ALTER TABLE events ADD COLUMN break_after INTEGER NOT NULL DEFAULT 0;
CREATE TABLE meeting_requests (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    from_registration INTEGER NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    to_registration INTEGER NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('offen', 'angenommen', 'abgelehnt')),
    slot INTEGER,
    table_number INTEGER,
    created_at INTEGER NOT NULL,
    decided_at INTEGER,
    CHECK (from_registration <> to_registration),
    UNIQUE (from_registration, to_registration)
);
CREATE INDEX meeting_requests_to ON meeting_requests (to_registration);
CREATE UNIQUE INDEX meeting_requests_place ON meeting_requests (event_id, slot, table_number);

CREATE TABLE meeting_feedback (
    meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    registration_id INTEGER NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    follow_up INTEGER NOT NULL CHECK (follow_up IN (0, 1)),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (meeting_id, registration_id)
);
CREATE INDEX meeting_feedback_registration ON meeting_feedback (registration_id);

-- A mutual follow-up the organisers confirmed: the connection it became on the map.
CREATE TABLE follow_ups (
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    first_registration INTEGER NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    second_registration INTEGER NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    connection_id INTEGER REFERENCES connections (id) ON DELETE SET NULL,
    confirmed_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    confirmed_at INTEGER NOT NULL,
    CHECK (first_registration < second_registration),
    PRIMARY KEY (first_registration, second_registration)
);

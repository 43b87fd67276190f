-- Events as organisers plan them (registration window, rounds, tables, what happens with an odd
-- person) and registrations with a kind, topics, a personal link and check-out (PostgreSQL).

ALTER TABLE events ADD COLUMN registration_opens TEXT;
ALTER TABLE events ADD COLUMN registration_closes TEXT;
ALTER TABLE events ADD COLUMN rounds BIGINT NOT NULL DEFAULT 6;
ALTER TABLE events ADD COLUMN tables BIGINT NOT NULL DEFAULT 20;
ALTER TABLE events ADD COLUMN seats BIGINT NOT NULL DEFAULT 3;
ALTER TABLE events ADD COLUMN odd_sits_out BIGINT NOT NULL DEFAULT 0 CHECK (odd_sits_out IN (0, 1));

ALTER TABLE registrations ADD COLUMN organisation TEXT NOT NULL DEFAULT '';
ALTER TABLE registrations ADD COLUMN kind TEXT;
-- SHA-256 of the personal link's token; the token itself is only in the link.
ALTER TABLE registrations ADD COLUMN token_hash TEXT;
ALTER TABLE registrations ADD COLUMN at_the_door BIGINT NOT NULL DEFAULT 0 CHECK (at_the_door IN (0, 1));
ALTER TABLE registrations ADD COLUMN checked_out_at BIGINT;
CREATE UNIQUE INDEX registrations_token_hash ON registrations (token_hash);

CREATE TABLE registration_terms (
    registration_id BIGINT NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    term_id BIGINT NOT NULL REFERENCES taxonomy_terms (id) ON DELETE CASCADE,
    PRIMARY KEY (registration_id, term_id)
);

-- Who wants (or does not want) to meet whom at an event: `wish` is muss, gern or nein.
CREATE TABLE wishes (
    from_registration BIGINT NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    to_registration BIGINT NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    wish TEXT NOT NULL CHECK (wish IN ('muss', 'gern', 'nein')),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (from_registration, to_registration),
    CHECK (from_registration <> to_registration)
);
CREATE INDEX wishes_to_registration ON wishes (to_registration);

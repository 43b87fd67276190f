-- Accounts, sessions, the actor network, events and case studies (SQLite).
-- Timestamps are Unix seconds (UTC); calendar dates are ISO text 'YYYY-MM-DD'.

CREATE TABLE app_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('participant', 'partner', 'organizer', 'admin')),
    password_hash TEXT,
    invite_token_hash TEXT UNIQUE,
    invite_expires_at INTEGER,
    created_at INTEGER NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    user_agent TEXT
);
CREATE INDEX sessions_user_id ON sessions (user_id);

CREATE TABLE taxonomy_terms (
    id INTEGER PRIMARY KEY,
    vocabulary TEXT NOT NULL CHECK (vocabulary IN ('sector', 'technology')),
    slug TEXT NOT NULL,
    label_de TEXT NOT NULL,
    label_en TEXT NOT NULL,
    UNIQUE (vocabulary, slug)
);

CREATE TABLE actors (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('mittelstand', 'startup', 'forschung', 'intermediaer', 'initiative', 'coworking')),
    description TEXT NOT NULL DEFAULT '',
    website TEXT,
    town TEXT NOT NULL,
    lat REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
    founded_year INTEGER,
    size_band TEXT,
    is_public INTEGER NOT NULL DEFAULT 0 CHECK (is_public IN (0, 1)),
    contact_email TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (name, town)
);

CREATE TABLE actor_terms (
    actor_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    term_id INTEGER NOT NULL REFERENCES taxonomy_terms (id) ON DELETE CASCADE,
    PRIMARY KEY (actor_id, term_id)
);

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    venue TEXT NOT NULL,
    town TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'open', 'live', 'finished')),
    round_minutes INTEGER NOT NULL DEFAULT 8,
    created_at INTEGER NOT NULL
);

CREATE TABLE registrations (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    actor_id INTEGER REFERENCES actors (id) ON DELETE SET NULL,
    person_name TEXT NOT NULL,
    email TEXT NOT NULL,
    offers TEXT NOT NULL DEFAULT '',
    seeks TEXT NOT NULL DEFAULT '',
    consent INTEGER NOT NULL DEFAULT 0 CHECK (consent IN (0, 1)),
    checked_in_at INTEGER,
    created_at INTEGER NOT NULL,
    UNIQUE (event_id, email)
);

CREATE TABLE connections (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    target_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('tandem', 'forschungskooperation', 'mentoring', 'mitgliedschaft', 'kunde_lieferant')),
    started_on TEXT NOT NULL,
    ended_on TEXT,
    origin TEXT,
    note TEXT,
    event_id INTEGER REFERENCES events (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    CHECK (source_id <> target_id),
    UNIQUE (source_id, target_id, kind)
);
CREATE INDEX connections_target_id ON connections (target_id);

CREATE TABLE case_studies (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    teaser TEXT NOT NULL DEFAULT '',
    challenge TEXT NOT NULL DEFAULT '',
    solution TEXT NOT NULL DEFAULT '',
    result TEXT NOT NULL DEFAULT '',
    quote TEXT NOT NULL DEFAULT '',
    outlook TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('draft', 'review', 'approval', 'published', 'withdrawn')),
    published_on TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE case_study_actors (
    case_study_id INTEGER NOT NULL REFERENCES case_studies (id) ON DELETE CASCADE,
    actor_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    PRIMARY KEY (case_study_id, actor_id)
);

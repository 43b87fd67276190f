-- The evening planned ahead: a round the organisers locked keeps its seats when the remaining
-- rounds are planned anew; an event whose evening was planned is planned anew by itself when
-- people check in or leave; the plan's version lets only one of two planners write.

ALTER TABLE rounds ADD COLUMN locked INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1));
ALTER TABLE events ADD COLUMN plan_ahead INTEGER NOT NULL DEFAULT 0 CHECK (plan_ahead IN (0, 1));
ALTER TABLE events ADD COLUMN plan_version INTEGER NOT NULL DEFAULT 0;

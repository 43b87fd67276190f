-- The organiser's own room and rules per event: the tables as groups (JSON: name, count, seats,
-- area), the pairing rules (JSON: kind weights, weights of wishes, topics and free text,
-- must-meets, colleagues, "not again"), and the series an event belongs to.

ALTER TABLE events ADD COLUMN table_plan TEXT NOT NULL DEFAULT '{"groups":[{"label":"","count":20,"seats":3,"area":""}]}';
ALTER TABLE events ADD COLUMN rules TEXT NOT NULL DEFAULT '{}';
ALTER TABLE events ADD COLUMN series TEXT NOT NULL DEFAULT '';
UPDATE events SET table_plan = '{"groups":[{"label":"","count":' || CAST(tables AS TEXT)
    || ',"seats":' || CAST(seats AS TEXT) || ',"area":""}]}';
ALTER TABLE events DROP COLUMN tables;
ALTER TABLE events DROP COLUMN seats;
CREATE INDEX events_series ON events (series);

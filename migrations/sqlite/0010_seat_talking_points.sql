-- What each person of a meeting talks about with their partner (JSON list of reasons), worked
-- out once when the round is planned or its seats change, so a phone reads it instead of
-- scoring the event again.

ALTER TABLE meeting_people ADD COLUMN reasons TEXT NOT NULL DEFAULT '[]';

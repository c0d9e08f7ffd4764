-- Indexes the lists and searches need at consortium size (issue 18 point 4;
-- bench/results/server-scale.md). A name search (`q`, a substring of the folded `search`
-- column, `LIKE '%...%'`) is served by a trigram index (pg_trgm ships with PostgreSQL and is
-- a trusted extension: the database's owner may create it). A school's or program's students
-- are found by their current enrollment without reading it. The review queue reads one status
-- in id order; faculty and site mentors see the placements they supervise. `notices_sent` is
-- read by key prefix (`risk:<placement>:`) with LIKE, which a collation-ordered primary key
-- cannot serve: a pattern index.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX students_search_trgm ON students USING gin (search gin_trgm_ops);
CREATE INDEX enrollments_current ON enrollments(student_id, school_id, program_id, status) WHERE ended_at IS NULL;
CREATE INDEX documents_status_id ON documents(status, id);
CREATE INDEX placements_faculty ON placements(faculty_user_id);
CREATE INDEX placements_site_mentor ON placements(site_mentor_id);
CREATE INDEX notices_sent_key_pattern ON notices_sent(key text_pattern_ops);

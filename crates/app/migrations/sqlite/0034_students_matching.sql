-- The PostgreSQL twin of this migration adds practicum_students_matching, the first step of a
-- name search that SQLite's FTS5 trigram index (0030) already gives; nothing to do here.
SELECT 1;

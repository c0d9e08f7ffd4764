-- The PostgreSQL twin of this migration lets practicum_students_matching answer up to 500
-- matches; SQLite's FTS5 index is asked with the limit as a parameter
-- (db::students::INDEXED_MATCHES_MAX); nothing to do here.
SELECT 1;

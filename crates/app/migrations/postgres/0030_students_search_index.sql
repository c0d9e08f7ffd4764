-- The SQLite twin of this migration adds an FTS5 trigram index for the students' name
-- search. PostgreSQL has had one since 0029 (pg_trgm, students_search_trgm); nothing to do.
SELECT 1;

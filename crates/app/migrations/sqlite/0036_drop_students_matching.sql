-- The PostgreSQL twin of this migration drops practicum_students_matching; nothing to do here.
SELECT 1;

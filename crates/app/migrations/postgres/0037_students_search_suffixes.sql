-- A name search by where each name's words end (issue 18 point 4; bench/results/server-scale.md,
-- twelfth round). A needle of letters and digits lies inside one word of a student's folded
-- search text, so it is a substring of the text exactly when it begins one of the suffixes of
-- three or more characters of that text's words (`domain::search::word_suffixes`). Kept in
-- order, the students a name matches are one range read (`db::students::suffix_matches`),
-- where the pg_trgm index (0029) intersects a list for every three letters of it. The trigram
-- index stays for needles that hold a space, a dash or an `@`, and for common names.
--
-- "C" collation: the range read compares code points (UTF-8 bytes), as Rust orders strings,
-- whatever the database's own collation.
--
-- The server writes the rows with the search column (`db::search`), since splitting words
-- the way Rust's `char::is_alphanumeric` does is not something SQL can be trusted with.
-- Setting every search column to NULL has the start-up backfill (`search::backfill`) write
-- each student's search text and suffixes once.
CREATE TABLE students_search_suffixes (
    suffix     TEXT COLLATE "C" NOT NULL,
    student_id TEXT NOT NULL REFERENCES students(id) ON DELETE CASCADE,
    PRIMARY KEY (suffix, student_id)
);
CREATE INDEX students_search_suffixes_student ON students_search_suffixes (student_id);

UPDATE students SET search = NULL;

-- The students whose word suffixes lie in [from_suffix, to_suffix) (a needle's range,
-- `domain::search::suffix_range`), as a JSON array of ids, or NULL when over 500 match or
-- over 5,000 suffixes do (a common name, which the page finds sooner by walking the students
-- in id order). A function so that its one statement keeps a generic plan (plan_cache_mode
-- set for it alone): asked from the client, every new range was planned anew, and planning
-- cost more than reading the range (bench/results/server-scale.md, twelfth round).
--
-- The range is read in suffix order with a literal limit, and sequential scans are off for
-- this statement: `SELECT DISTINCT student_id ... LIMIT 501` let the generic plan walk the
-- whole student_id index hoping to stop early (150 ms a search on a freshly migrated store).
-- db::students::INDEXED_MATCHES_MAX and INDEXED_SUFFIXES_MAX match the limits.
CREATE FUNCTION practicum_students_by_suffix(from_suffix text, to_suffix text) RETURNS text
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off
AS $$
DECLARE
    suffixes bigint;
    students bigint;
    ids text;
BEGIN
    SELECT count(*), count(DISTINCT r.student_id), COALESCE(json_agg(DISTINCT r.student_id), '[]')::text
      INTO suffixes, students, ids
      FROM (SELECT student_id FROM students_search_suffixes
             WHERE suffix >= from_suffix AND suffix < to_suffix
             ORDER BY suffix LIMIT 5001) r;
    RETURN CASE WHEN suffixes <= 5000 AND students <= 500 THEN ids END;
END
$$;

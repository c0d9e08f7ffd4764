-- practicum_students_matching (0034) answers up to 500 matches, not 100: a name matching a
-- few hundred of a consortium's 20,000 students ("obrien3" matches "obrien30".."obrien39") is
-- rare enough that walking the students in id order for a page of it read about half of them
-- (bench/results/server-scale.md, eleventh round: a new search for someone there answered
-- 2,100 requests/s on SQLite, its tenth of such names taking about 10 ms each). The limit is
-- still a literal, for the reason 0034 gives. db::students::INDEXED_MATCHES_MAX matches it.
CREATE OR REPLACE FUNCTION practicum_students_matching(pattern text) RETURNS text
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    n bigint;
    ids text;
BEGIN
    SELECT count(*), COALESCE(json_agg(m.id), '[]')::text INTO n, ids
      FROM (SELECT s.id FROM students s WHERE s.search LIKE pattern ESCAPE '\' LIMIT 501) m;
    RETURN CASE WHEN n <= 500 THEN ids END;
END
$$;

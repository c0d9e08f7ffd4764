-- A name search's first step on PostgreSQL, as SQLite's FTS5 index gives it (0030): the ids of
-- the students whose folded `search` column holds a needle, as one JSON array, or NULL when
-- more than 100 match (a common name: the page's own statement walks the students in id order
-- and stops after one page). `db::students` asks it before a page's statement, and a needle
-- no student holds (most new searches) answers an empty page with this call alone.
--
-- Why a function: a LIKE on the trigram index in the page's own statement is planned anew at
-- every call (the pattern decides the plan, so PostgreSQL keeps choosing a custom plan), and
-- that planning cost as much as the rest of the request's database work (issue 18 point 4,
-- bench/results/server-scale.md, eleventh round). Here the statement can only be served one
-- way, the trigram index, so its generic plan is kept and reused (plan_cache_mode, set for
-- this function alone). The limit is a literal: a parameter there would let the generic plan
-- assume a tenth of the rows and prefer a sequential scan.
CREATE FUNCTION practicum_students_matching(pattern text) RETURNS text
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    n bigint;
    ids text;
BEGIN
    SELECT count(*), COALESCE(json_agg(m.id), '[]')::text INTO n, ids
      FROM (SELECT s.id FROM students s WHERE s.search LIKE pattern ESCAPE '\' LIMIT 101) m;
    RETURN CASE WHEN n <= 100 THEN ids END;
END
$$;

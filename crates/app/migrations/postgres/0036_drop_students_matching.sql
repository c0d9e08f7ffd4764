-- practicum_students_matching (0034, 0035) is no longer called: asking it before the page's
-- statement made a new search for someone there a second round trip, slower than the LIKE
-- alone (3,500-3,800 against 5,100-5,700 requests/s), and calling it inside the page's
-- statement was no faster than the LIKE for either kind of search (bench/results/
-- server-scale.md, eleventh round). The page's statement serves the LIKE from the pg_trgm
-- index again (0029), as before 0034.
DROP FUNCTION IF EXISTS practicum_students_matching(text);

-- A name search by where each name's words end (issue 18 point 4; bench/results/server-scale.md,
-- twelfth round). A needle of letters and digits lies inside one word of a student's folded
-- search text, so it is a substring of the text exactly when it begins one of the suffixes of
-- three or more characters of that text's words (`domain::search::word_suffixes`). Kept in
-- order, the students a name matches are one range read (`db::students::suffix_matches`),
-- where the FTS5 trigram index (0030) intersects a list for every three letters of it. The
-- trigram index stays for needles that hold a space, a dash or an `@`.
--
-- The server writes the rows with the search column (`db::search`), since splitting words
-- the way Rust's `char::is_alphanumeric` does is not something SQL can be trusted with.
-- Setting every search column to NULL has the start-up backfill (`search::backfill`) write
-- each student's search text and suffixes once.
CREATE TABLE students_search_suffixes (
    suffix     TEXT NOT NULL,
    student_id TEXT NOT NULL REFERENCES students(id) ON DELETE CASCADE,
    PRIMARY KEY (suffix, student_id)
) WITHOUT ROWID;
CREATE INDEX students_search_suffixes_student ON students_search_suffixes (student_id);

UPDATE students SET search = NULL;

-- (PostgreSQL's twin also adds practicum_students_by_suffix, a function that keeps its plan;
-- SQLite plans a statement once per connection and needs none.)

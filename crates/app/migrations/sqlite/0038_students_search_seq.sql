-- When each student's search text was last written (issue 18 point 4;
-- bench/results/server-scale.md, fourteenth round). The server holds every student's word
-- suffixes in memory (`db::students::held_suffixes`), read as of one value of this column; a
-- name search asks the store only for the students written since (`search_seq` at or above
-- the held value) besides the ones its memory names, and checks each against its text.
--
-- SQLite: one more than the largest value so far, set by the writer (`db::search`) inside
-- its write transaction. Writes are one at a time, so the values follow commit order.
-- (PostgreSQL's twin stores the writing transaction's id instead.)
ALTER TABLE students ADD COLUMN search_seq INTEGER NOT NULL DEFAULT 0;
CREATE INDEX students_search_seq ON students (search_seq);

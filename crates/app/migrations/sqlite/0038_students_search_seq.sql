-- When each student's search text was last written (issue 18 point 4;
-- bench/results/server-scale.md, fourteenth round). On PostgreSQL the server holds every
-- student's word suffixes in memory (`db::students::held_suffixes`), read as of one value of
-- this column, and a name search asks the store for the students written since besides the
-- ones its memory names. SQLite's searches read the suffixes' range in the server's own
-- process, as fast as memory, so nothing is held on SQLite; the column is kept the same on
-- both stores (the writer, `db::search`, sets it on both).
--
-- SQLite: one more than the largest value so far, set inside the write transaction. Writes
-- are one at a time, so the values follow commit order. (PostgreSQL's twin stores the writing
-- transaction's id instead.)
ALTER TABLE students ADD COLUMN search_seq INTEGER NOT NULL DEFAULT 0;
CREATE INDEX students_search_seq ON students (search_seq);

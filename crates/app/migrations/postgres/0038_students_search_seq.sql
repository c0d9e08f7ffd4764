-- When each student's search text was last written (issue 18 point 4;
-- bench/results/server-scale.md, fourteenth round). The server holds every student's word
-- suffixes in memory (`db::students::held_suffixes`), read as of one value of this column; a
-- name search asks the store only for the students written since (`search_seq` at or above
-- the held value) besides the ones its memory names, and checks each against its text.
--
-- PostgreSQL: the id of the transaction that wrote the text (`pg_current_xact_id()`, 64
-- bits, never wrapping), set by the writer (`db::search`). Ids are handed out in start
-- order, not commit order, so the held value is the oldest transaction still running when
-- the memory was read (`pg_snapshot_xmin`): any write the memory missed has an id at or
-- above it. (SQLite's twin counts instead.)
ALTER TABLE students ADD COLUMN search_seq BIGINT NOT NULL DEFAULT 0;
CREATE INDEX students_search_seq ON students (search_seq);

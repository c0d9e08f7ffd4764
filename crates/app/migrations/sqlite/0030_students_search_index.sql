-- A name search over a consortium's students (issue 18 point 4): `q` is a substring of the
-- folded `search` column, which a LIKE can only find by reading every student. An FTS5
-- trigram index finds the few students a rare name matches without reading the rest
-- (`db::students::list` asks it first and falls back to the walk in id order when the name is
-- common, where the walk stops after one page).
--
-- FTS5 keys its rows by an integer. The students table's implicit rowid may change on VACUUM
-- (backups use VACUUM INTO), so the key is a column of its own: students_search_keys.k, an
-- INTEGER PRIMARY KEY, which VACUUM keeps. Triggers keep the index in step with every write
-- of the search column, in the writing transaction.
CREATE TABLE students_search_keys (
    k          INTEGER PRIMARY KEY,
    student_id TEXT NOT NULL UNIQUE
);
CREATE VIRTUAL TABLE students_search USING fts5(search, tokenize = 'trigram');

INSERT INTO students_search_keys (student_id) SELECT id FROM students ORDER BY id;
INSERT INTO students_search (rowid, search)
    SELECT k.k, COALESCE(s.search, '') FROM students_search_keys k JOIN students s ON s.id = k.student_id;

CREATE TRIGGER students_search_insert AFTER INSERT ON students BEGIN
    INSERT INTO students_search_keys (student_id) VALUES (new.id);
    INSERT INTO students_search (rowid, search)
        SELECT k, COALESCE(new.search, '') FROM students_search_keys WHERE student_id = new.id;
END;

CREATE TRIGGER students_search_update AFTER UPDATE OF search ON students BEGIN
    UPDATE students_search SET search = COALESCE(new.search, '')
        WHERE rowid = (SELECT k FROM students_search_keys WHERE student_id = new.id);
END;

CREATE TRIGGER students_search_delete AFTER DELETE ON students BEGIN
    DELETE FROM students_search WHERE rowid = (SELECT k FROM students_search_keys WHERE student_id = old.id);
    DELETE FROM students_search_keys WHERE student_id = old.id;
END;

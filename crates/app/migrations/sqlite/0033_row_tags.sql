-- Row tags (issue 18 point 4). A student's row tag: a value replaced whenever anything a student's API
-- answer shows changes, the row's own fields or any of their enrollments. A list of students
-- reads each row's id and tag, and answers each student from the JSON the server kept for
-- that id and tag (`db::row_answers::RowAnswers`), deriving only the rows it has not kept.
-- Triggers replace it in the writing transaction, so any writer (the server, the CLI, an
-- import, a hand-written UPDATE) keeps it true.
--
-- The tag is random, not a counter: a counter would start again after a row is deleted and
-- written again, or after an older backup is restored under a running server, and the same
-- id and count could then name two different answers.
--
-- A column added to students later that the answer shows must be named in
-- students_row_tag's list.
ALTER TABLE students ADD COLUMN row_tag INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER students_row_tag AFTER UPDATE OF school_id, program_id, first_name, last_name, email,
    enrollment_status, expected_graduation ON students BEGIN
    UPDATE students SET row_tag = random() WHERE id = new.id;
END;

CREATE TRIGGER enrollments_row_tag_insert AFTER INSERT ON enrollments BEGIN
    UPDATE students SET row_tag = random() WHERE id = new.student_id;
END;

CREATE TRIGGER enrollments_row_tag_update AFTER UPDATE ON enrollments BEGIN
    UPDATE students SET row_tag = random() WHERE id IN (old.student_id, new.student_id);
END;

CREATE TRIGGER enrollments_row_tag_delete AFTER DELETE ON enrollments BEGIN
    UPDATE students SET row_tag = random() WHERE id = old.student_id;
END;

-- A document's answer is its row's own fields, so any write to the row replaces its tag.
ALTER TABLE documents ADD COLUMN row_tag INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER documents_row_tag AFTER UPDATE ON documents WHEN new.row_tag = old.row_tag BEGIN
    UPDATE documents SET row_tag = random() WHERE id = new.id;
END;

-- A placement request's answer is its row's fields, its named students and its preferences
-- (and, while it is open, its live eligibility, which depends on other records and so on no
-- tag: the list keeps an open request's answer only until the next write,
-- `http::api::requests::list`).
ALTER TABLE placement_requests ADD COLUMN row_tag INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER placement_requests_row_tag AFTER UPDATE ON placement_requests
    WHEN new.row_tag = old.row_tag BEGIN
    UPDATE placement_requests SET row_tag = random() WHERE id = new.id;
END;

CREATE TRIGGER request_students_row_tag_insert AFTER INSERT ON request_students BEGIN
    UPDATE placement_requests SET row_tag = random() WHERE id = new.request_id;
END;
CREATE TRIGGER request_students_row_tag_update AFTER UPDATE ON request_students BEGIN
    UPDATE placement_requests SET row_tag = random() WHERE id IN (old.request_id, new.request_id);
END;
CREATE TRIGGER request_students_row_tag_delete AFTER DELETE ON request_students BEGIN
    UPDATE placement_requests SET row_tag = random() WHERE id = old.request_id;
END;

CREATE TRIGGER request_preferences_row_tag_insert AFTER INSERT ON request_preferences BEGIN
    UPDATE placement_requests SET row_tag = random() WHERE id = new.request_id;
END;
CREATE TRIGGER request_preferences_row_tag_update AFTER UPDATE ON request_preferences BEGIN
    UPDATE placement_requests SET row_tag = random() WHERE id IN (old.request_id, new.request_id);
END;
CREATE TRIGGER request_preferences_row_tag_delete AFTER DELETE ON request_preferences BEGIN
    UPDATE placement_requests SET row_tag = random() WHERE id = old.request_id;
END;

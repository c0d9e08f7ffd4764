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
ALTER TABLE students ADD COLUMN row_tag BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION practicum_new_row_tag() RETURNS BIGINT LANGUAGE sql VOLATILE AS
    $$ SELECT floor(random() * 9.0e18)::bigint $$;

-- One trigger function for every table whose own row carries the tag: a new tag on the row
-- being updated.
CREATE FUNCTION practicum_replace_row_tag() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.row_tag := practicum_new_row_tag();
    RETURN NEW;
END $$;

CREATE TRIGGER students_row_tag BEFORE UPDATE OF school_id, program_id, first_name, last_name, email,
    enrollment_status, expected_graduation ON students
    FOR EACH ROW EXECUTE FUNCTION practicum_replace_row_tag();

CREATE FUNCTION enrollments_row_tag() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE students SET row_tag = practicum_new_row_tag() WHERE id = OLD.student_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        UPDATE students SET row_tag = practicum_new_row_tag() WHERE id = NEW.student_id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER enrollments_row_tag AFTER INSERT OR UPDATE OR DELETE ON enrollments
    FOR EACH ROW EXECUTE FUNCTION enrollments_row_tag();

-- A document's answer is its row's own fields, so any write to the row replaces its tag.
ALTER TABLE documents ADD COLUMN row_tag BIGINT NOT NULL DEFAULT 0;

CREATE TRIGGER documents_row_tag BEFORE UPDATE ON documents
    FOR EACH ROW EXECUTE FUNCTION practicum_replace_row_tag();

-- A placement request's answer is its row's fields, its named students and its preferences
-- (and, while it is open, its live eligibility, which depends on other records and so on no
-- tag: the list keeps an open request's answer only until the next write,
-- `http::api::requests::list`).
ALTER TABLE placement_requests ADD COLUMN row_tag BIGINT NOT NULL DEFAULT 0;

CREATE TRIGGER placement_requests_row_tag BEFORE UPDATE ON placement_requests
    FOR EACH ROW EXECUTE FUNCTION practicum_replace_row_tag();

CREATE FUNCTION request_children_row_tag() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE placement_requests SET row_tag = practicum_new_row_tag() WHERE id = OLD.request_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        UPDATE placement_requests SET row_tag = practicum_new_row_tag() WHERE id = NEW.request_id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER request_students_row_tag AFTER INSERT OR UPDATE OR DELETE ON request_students
    FOR EACH ROW EXECUTE FUNCTION request_children_row_tag();
CREATE TRIGGER request_preferences_row_tag AFTER INSERT OR UPDATE OR DELETE ON request_preferences
    FOR EACH ROW EXECUTE FUNCTION request_children_row_tag();

-- What every placement's answer is derived from (its clearance, risks and shown status:
-- `service::facts`) or listed by (`db::placements::list_ids`), counted on each write by the
-- store itself (issue 18 point 4). The server keeps placements' answers, their listing and
-- the facts read for them while no write to these tables has committed
-- (`Db::placement_generation`): this process's own such writes count at their commit; the
-- server's watch (`db::watch`) reads this count to see another process's, however they were
-- made (a CLI command, a second instance, SQL by hand). Writes to other tables (sessions,
-- mail, the audit trail, a new student, evaluations, hours) leave what was kept.
--
-- Counted: every write to the tables below; changes to a student's own columns (not the tags
-- and search text written for lists and searches: `enrollments_row_tag_*` rewrites a
-- student's `row_tag` on each enrollment written) and deletions (a new student is on no
-- placement yet); of a user, changes to the name and e-mail (all a faculty supervisor shows)
-- and deletions; enrollments of a student on a placement. A column added to students later
-- that a placement's answer reads needs adding to its trigger's list. A table added later that
-- a placement's answer reads needs its triggers here too: `tests/api/placement_facts.rs`
-- fails for a table that has none and is not named as left out.
CREATE TABLE placement_fact_writes (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    writes BIGINT NOT NULL
);
INSERT INTO placement_fact_writes (id, writes) VALUES (1, 0);
-- Statement triggers (one count per statement, not per row) except for enrollments, whose
-- count depends on the row's student.
CREATE FUNCTION count_placement_fact_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1;
    RETURN NULL;
END
$$;
CREATE FUNCTION count_enrollment_fact_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (TG_OP <> 'DELETE' AND EXISTS (SELECT 1 FROM placements WHERE student_id = NEW.student_id))
        OR (TG_OP <> 'INSERT' AND EXISTS (SELECT 1 FROM placements WHERE student_id = OLD.student_id)) THEN
        UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER placement_facts AFTER INSERT OR UPDATE OR DELETE ON placements
    FOR EACH STATEMENT EXECUTE FUNCTION count_placement_fact_write();
CREATE TRIGGER placement_facts AFTER INSERT OR UPDATE OR DELETE ON documents
    FOR EACH STATEMENT EXECUTE FUNCTION count_placement_fact_write();
CREATE TRIGGER placement_facts AFTER INSERT OR UPDATE OR DELETE ON departments
    FOR EACH STATEMENT EXECUTE FUNCTION count_placement_fact_write();
CREATE TRIGGER placement_facts AFTER INSERT OR UPDATE OR DELETE ON department_disciplines
    FOR EACH STATEMENT EXECUTE FUNCTION count_placement_fact_write();
CREATE TRIGGER placement_facts AFTER INSERT OR UPDATE OR DELETE ON sites
    FOR EACH STATEMENT EXECUTE FUNCTION count_placement_fact_write();
CREATE TRIGGER placement_facts AFTER INSERT OR UPDATE OR DELETE ON schools
    FOR EACH STATEMENT EXECUTE FUNCTION count_placement_fact_write();
CREATE TRIGGER placement_facts AFTER INSERT OR UPDATE OR DELETE ON staff
    FOR EACH STATEMENT EXECUTE FUNCTION count_placement_fact_write();
CREATE TRIGGER placement_facts AFTER INSERT OR UPDATE OR DELETE ON staff_leave
    FOR EACH STATEMENT EXECUTE FUNCTION count_placement_fact_write();
CREATE TRIGGER placement_facts AFTER INSERT OR UPDATE OR DELETE ON programs
    FOR EACH STATEMENT EXECUTE FUNCTION count_placement_fact_write();
CREATE TRIGGER placement_facts AFTER INSERT OR UPDATE OR DELETE ON agreements
    FOR EACH STATEMENT EXECUTE FUNCTION count_placement_fact_write();
CREATE TRIGGER placement_facts AFTER INSERT OR UPDATE OR DELETE ON agreement_disciplines
    FOR EACH STATEMENT EXECUTE FUNCTION count_placement_fact_write();
CREATE TRIGGER placement_facts AFTER INSERT OR UPDATE OR DELETE ON requirements
    FOR EACH STATEMENT EXECUTE FUNCTION count_placement_fact_write();
CREATE TRIGGER placement_facts AFTER INSERT OR UPDATE OR DELETE ON notices_sent
    FOR EACH STATEMENT EXECUTE FUNCTION count_placement_fact_write();
CREATE TRIGGER placement_facts AFTER INSERT OR UPDATE OR DELETE ON disciplines
    FOR EACH STATEMENT EXECUTE FUNCTION count_placement_fact_write();
CREATE TRIGGER placement_facts AFTER INSERT OR UPDATE OR DELETE ON settings
    FOR EACH STATEMENT EXECUTE FUNCTION count_placement_fact_write();
CREATE TRIGGER placement_facts AFTER UPDATE OF id, school_id, program_id, first_name, last_name, email, enrollment_status, expected_graduation OR DELETE ON students
    FOR EACH STATEMENT EXECUTE FUNCTION count_placement_fact_write();
CREATE TRIGGER placement_facts AFTER UPDATE OF name, email OR DELETE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION count_placement_fact_write();
CREATE TRIGGER placement_facts AFTER INSERT OR UPDATE OR DELETE ON enrollments
    FOR EACH ROW EXECUTE FUNCTION count_enrollment_fact_write();

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
-- SQLite has row triggers only: one per table and kind of write.
CREATE TRIGGER placement_facts_placements_insert AFTER INSERT ON placements BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_placements_update AFTER UPDATE ON placements BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_placements_delete AFTER DELETE ON placements BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_documents_insert AFTER INSERT ON documents BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_documents_update AFTER UPDATE ON documents BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_documents_delete AFTER DELETE ON documents BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_departments_insert AFTER INSERT ON departments BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_departments_update AFTER UPDATE ON departments BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_departments_delete AFTER DELETE ON departments BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_department_disciplines_insert AFTER INSERT ON department_disciplines BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_department_disciplines_update AFTER UPDATE ON department_disciplines BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_department_disciplines_delete AFTER DELETE ON department_disciplines BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_sites_insert AFTER INSERT ON sites BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_sites_update AFTER UPDATE ON sites BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_sites_delete AFTER DELETE ON sites BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_schools_insert AFTER INSERT ON schools BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_schools_update AFTER UPDATE ON schools BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_schools_delete AFTER DELETE ON schools BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_staff_insert AFTER INSERT ON staff BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_staff_update AFTER UPDATE ON staff BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_staff_delete AFTER DELETE ON staff BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_staff_leave_insert AFTER INSERT ON staff_leave BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_staff_leave_update AFTER UPDATE ON staff_leave BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_staff_leave_delete AFTER DELETE ON staff_leave BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_programs_insert AFTER INSERT ON programs BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_programs_update AFTER UPDATE ON programs BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_programs_delete AFTER DELETE ON programs BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_agreements_insert AFTER INSERT ON agreements BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_agreements_update AFTER UPDATE ON agreements BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_agreements_delete AFTER DELETE ON agreements BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_agreement_disciplines_insert AFTER INSERT ON agreement_disciplines BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_agreement_disciplines_update AFTER UPDATE ON agreement_disciplines BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_agreement_disciplines_delete AFTER DELETE ON agreement_disciplines BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_requirements_insert AFTER INSERT ON requirements BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_requirements_update AFTER UPDATE ON requirements BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_requirements_delete AFTER DELETE ON requirements BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_notices_sent_insert AFTER INSERT ON notices_sent BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_notices_sent_update AFTER UPDATE ON notices_sent BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_notices_sent_delete AFTER DELETE ON notices_sent BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_disciplines_insert AFTER INSERT ON disciplines BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_disciplines_update AFTER UPDATE ON disciplines BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_disciplines_delete AFTER DELETE ON disciplines BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_settings_insert AFTER INSERT ON settings BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_settings_update AFTER UPDATE ON settings BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_settings_delete AFTER DELETE ON settings BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_students_update AFTER UPDATE OF id, school_id, program_id, first_name, last_name, email, enrollment_status, expected_graduation ON students BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_students_delete AFTER DELETE ON students BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_users_update AFTER UPDATE OF name, email ON users BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_users_delete AFTER DELETE ON users BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_enrollments_insert AFTER INSERT ON enrollments
    WHEN EXISTS (SELECT 1 FROM placements WHERE student_id = NEW.student_id) BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_enrollments_update AFTER UPDATE ON enrollments
    WHEN EXISTS (SELECT 1 FROM placements WHERE student_id IN (NEW.student_id, OLD.student_id)) BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;
CREATE TRIGGER placement_facts_enrollments_delete AFTER DELETE ON enrollments
    WHEN EXISTS (SELECT 1 FROM placements WHERE student_id = OLD.student_id) BEGIN UPDATE placement_fact_writes SET writes = writes + 1 WHERE id = 1; END;

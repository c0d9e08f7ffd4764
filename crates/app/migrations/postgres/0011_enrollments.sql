-- A student is one person with one or more enrollments (DOMAIN.md "Student"; issue 12 point 4):
-- a certificate alongside a degree, or a program at another school after a transfer. A transfer
-- ends the enrollment it moves (ended_at, ended_reason 'transferred') and starts a new one, so
-- the school the student left keeps what was created while the student was theirs, and the
-- person keeps their documents and history. The students row keeps school_id, program_id,
-- enrollment_status and expected_graduation as a copy of the primary enrollment (the oldest
-- current one) for API v1's student fields; the store rewrites the copy with every enrollment
-- write (db/enrollments.rs sync_primary).
CREATE TABLE enrollments (
    id                  TEXT PRIMARY KEY,
    student_id          TEXT NOT NULL REFERENCES students(id),
    school_id           TEXT NOT NULL REFERENCES schools(id),
    program_id          TEXT NOT NULL REFERENCES programs(id),
    status              TEXT NOT NULL,
    expected_graduation DATE,
    started_at          TIMESTAMPTZ NOT NULL,
    ended_at            TIMESTAMPTZ,
    ended_reason        TEXT
);
CREATE INDEX enrollments_student ON enrollments(student_id);
CREATE INDEX enrollments_school ON enrollments(school_id, student_id);
CREATE INDEX enrollments_program ON enrollments(program_id, student_id);

-- Every existing student has had their one enrollment since before anything else was recorded.
INSERT INTO enrollments (id, student_id, school_id, program_id, status, expected_graduation, started_at)
SELECT id, id, school_id, program_id, enrollment_status, expected_graduation, TIMESTAMPTZ '1970-01-01T00:00:00Z' FROM students;

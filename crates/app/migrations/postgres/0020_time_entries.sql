-- Attendance and hours (issue 15 point 4): what a student worked on a day of a placement, or an
-- absence with its reason and planned make-up day; approved or returned by the supervisor.
-- One entry per placement per day. Hours are kept as whole minutes.
CREATE TABLE time_entries (
    id               TEXT PRIMARY KEY,
    placement_id     TEXT NOT NULL REFERENCES placements(id),
    student_id       TEXT NOT NULL REFERENCES students(id),
    entry_date       DATE NOT NULL,
    kind             TEXT NOT NULL,
    minutes          BIGINT NOT NULL,
    clock_in         TEXT,
    clock_out        TEXT,
    activity         TEXT,
    notes            TEXT,
    absence_reason   TEXT,
    make_up_on       DATE,
    status           TEXT NOT NULL,
    decision_note    TEXT,
    decided_by       TEXT REFERENCES users(id),
    decided_by_name  TEXT,
    decided_at       TIMESTAMPTZ,
    submitted_at     TIMESTAMPTZ NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    UNIQUE (placement_id, entry_date)
);
CREATE INDEX time_entries_status ON time_entries(status, submitted_at);
CREATE INDEX time_entries_student ON time_entries(student_id);

-- Placement requests, placements, faculty invitations, and non-student inquiries.
CREATE TABLE placement_requests (
    id                  TEXT PRIMARY KEY,
    kind                TEXT NOT NULL,
    school_id           TEXT NOT NULL REFERENCES schools(id),
    program_id          TEXT NOT NULL REFERENCES programs(id),
    starts_on           TEXT NOT NULL,
    ends_on             TEXT NOT NULL,
    hours_per_week      INTEGER NOT NULL,
    slots               INTEGER NOT NULL DEFAULT 0,
    shifts_json         TEXT NOT NULL DEFAULT '[]',
    start_window_weeks  INTEGER NOT NULL DEFAULT 0,
    together            BOOLEAN NOT NULL DEFAULT FALSE,
    notes               TEXT,
    course_code         TEXT,
    course_title        TEXT,
    course_credits      INTEGER,
    faculty_name        TEXT,
    faculty_email       TEXT,
    status              TEXT NOT NULL,
    decision_reason     TEXT,
    decided_at          TEXT,
    submitted_by        TEXT REFERENCES users(id),
    created_at          TEXT NOT NULL
);
CREATE INDEX placement_requests_school ON placement_requests(school_id);
CREATE INDEX placement_requests_status ON placement_requests(status);

CREATE TABLE request_students (
    request_id  TEXT NOT NULL REFERENCES placement_requests(id) ON DELETE CASCADE,
    student_id  TEXT NOT NULL REFERENCES students(id),
    PRIMARY KEY (request_id, student_id)
);

CREATE TABLE request_preferences (
    request_id      TEXT NOT NULL REFERENCES placement_requests(id) ON DELETE CASCADE,
    rank            INTEGER NOT NULL,
    site_id         TEXT NOT NULL REFERENCES sites(id),
    department_id   TEXT REFERENCES departments(id),
    PRIMARY KEY (request_id, rank)
);

CREATE TABLE placements (
    id                  TEXT PRIMARY KEY,
    request_id          TEXT NOT NULL REFERENCES placement_requests(id),
    kind                TEXT NOT NULL,
    student_id          TEXT REFERENCES students(id),
    school_id           TEXT NOT NULL REFERENCES schools(id),
    program_id          TEXT NOT NULL REFERENCES programs(id),
    department_id       TEXT NOT NULL REFERENCES departments(id),
    preceptor_id        TEXT REFERENCES staff(id),
    site_mentor_id      TEXT REFERENCES staff(id),
    faculty_user_id     TEXT REFERENCES users(id),
    starts_on           TEXT NOT NULL,
    ends_on             TEXT NOT NULL,
    status              TEXT NOT NULL,
    cancel_reason       TEXT,
    created_at          TEXT NOT NULL
);
CREATE INDEX placements_department ON placements(department_id);
CREATE INDEX placements_preceptor ON placements(preceptor_id);
CREATE INDEX placements_student ON placements(student_id);
CREATE INDEX placements_request ON placements(request_id);
CREATE INDEX placements_school ON placements(school_id);

CREATE TABLE invitations (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at  TEXT NOT NULL,
    used_at     TEXT
);

CREATE TABLE inquiries (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    email       TEXT NOT NULL,
    is_student  BOOLEAN NOT NULL,
    interest    TEXT NOT NULL,
    school      TEXT,
    program     TEXT,
    message     TEXT,
    route       TEXT NOT NULL,
    status      TEXT NOT NULL,
    ip          TEXT,
    created_at  TEXT NOT NULL
);
CREATE INDEX inquiries_status ON inquiries(status);

-- The directory, sign-in and audit. Dates are ISO text, instants RFC 3339 text.
CREATE TABLE disciplines (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    clinical    BOOLEAN NOT NULL,
    accreditor  TEXT NOT NULL
);

CREATE TABLE sites (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE
);

CREATE TABLE departments (
    id          TEXT PRIMARY KEY,
    site_id     TEXT NOT NULL REFERENCES sites(id),
    name        TEXT NOT NULL,
    setting     TEXT NOT NULL,
    capacity    INTEGER NOT NULL CHECK (capacity >= 0),
    UNIQUE (site_id, name)
);

CREATE TABLE department_disciplines (
    department_id   TEXT NOT NULL REFERENCES departments(id) ON DELETE CASCADE,
    discipline      TEXT NOT NULL REFERENCES disciplines(code),
    PRIMARY KEY (department_id, discipline)
);

CREATE TABLE schools (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    city        TEXT NOT NULL,
    state       TEXT NOT NULL
);

CREATE TABLE agreements (
    id              TEXT PRIMARY KEY,
    school_id       TEXT NOT NULL REFERENCES schools(id),
    status          TEXT NOT NULL,
    effective_on    TEXT NOT NULL,
    expires_on      TEXT NOT NULL,
    note            TEXT,
    document_sha256 TEXT,
    document_name   TEXT,
    document_size   INTEGER
);
CREATE INDEX agreements_school ON agreements(school_id);

CREATE TABLE agreement_disciplines (
    agreement_id    TEXT NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
    discipline      TEXT NOT NULL REFERENCES disciplines(code),
    PRIMARY KEY (agreement_id, discipline)
);

CREATE TABLE programs (
    id                  TEXT PRIMARY KEY,
    school_id           TEXT NOT NULL REFERENCES schools(id),
    name                TEXT NOT NULL,
    discipline          TEXT NOT NULL REFERENCES disciplines(code),
    degree_level        TEXT NOT NULL,
    accreditor          TEXT NOT NULL,
    accredited_until    TEXT
);
CREATE INDEX programs_school ON programs(school_id);

CREATE TABLE students (
    id                  TEXT PRIMARY KEY,
    school_id           TEXT NOT NULL REFERENCES schools(id),
    program_id          TEXT NOT NULL REFERENCES programs(id),
    first_name          TEXT NOT NULL,
    last_name           TEXT NOT NULL,
    email               TEXT NOT NULL UNIQUE,
    enrollment_status   TEXT NOT NULL,
    expected_graduation TEXT
);
CREATE INDEX students_school ON students(school_id);
CREATE INDEX students_program ON students(program_id);

CREATE TABLE staff (
    id                  TEXT PRIMARY KEY,
    name                TEXT NOT NULL,
    email               TEXT NOT NULL UNIQUE,
    department_id       TEXT NOT NULL REFERENCES departments(id),
    discipline          TEXT REFERENCES disciplines(code),
    credential          TEXT,
    license_number      TEXT,
    license_expires_on  TEXT,
    is_preceptor        BOOLEAN NOT NULL,
    max_students        INTEGER NOT NULL CHECK (max_students >= 0)
);
CREATE INDEX staff_department ON staff(department_id);

CREATE TABLE staff_leave (
    staff_id    TEXT NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    starts_on   TEXT NOT NULL,
    ends_on     TEXT NOT NULL,
    PRIMARY KEY (staff_id, starts_on)
);

CREATE TABLE users (
    id              TEXT PRIMARY KEY,
    email           TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    role            TEXT NOT NULL,
    password_hash   TEXT,
    school_id       TEXT REFERENCES schools(id),
    staff_id        TEXT REFERENCES staff(id),
    student_id      TEXT REFERENCES students(id),
    created_at      TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash      TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    last_seen_at    TEXT NOT NULL,
    ip              TEXT
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE login_throttle (
    key             TEXT PRIMARY KEY,
    failures        INTEGER NOT NULL,
    locked_until    TEXT
);

CREATE TABLE audit_events (
    id              TEXT PRIMARY KEY,
    at              TEXT NOT NULL,
    actor_id        TEXT,
    actor_label     TEXT NOT NULL,
    action          TEXT NOT NULL,
    record_type     TEXT NOT NULL,
    record_id       TEXT NOT NULL,
    before_json     TEXT,
    after_json      TEXT,
    ip              TEXT
);
CREATE INDEX audit_record ON audit_events(record_type, record_id);

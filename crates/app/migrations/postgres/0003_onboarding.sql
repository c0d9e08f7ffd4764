-- Onboarding: requirement rules as data, and students' evidence.
CREATE TABLE requirements (
    id              TEXT PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    category        TEXT NOT NULL,
    satisfied_by    TEXT NOT NULL,
    validity_json   TEXT NOT NULL,
    applies_to_json TEXT NOT NULL,
    active          BOOLEAN NOT NULL
);

CREATE TABLE documents (
    id                  TEXT PRIMARY KEY,
    student_id          TEXT NOT NULL REFERENCES students(id),
    requirement_code    TEXT NOT NULL REFERENCES requirements(code),
    placement_id        TEXT REFERENCES placements(id),
    completed_on        DATE NOT NULL,
    expires_on          DATE,
    status              TEXT NOT NULL,
    source              TEXT NOT NULL,
    file_sha256         TEXT,
    file_name           TEXT,
    file_mime           TEXT,
    file_size           BIGINT,
    submitted_by        TEXT REFERENCES users(id),
    submitted_at        TIMESTAMPTZ NOT NULL,
    reviewed_by         TEXT REFERENCES users(id),
    reviewed_at         TIMESTAMPTZ,
    review_note         TEXT,
    signer_name         TEXT,
    signer_ip           TEXT
);
CREATE INDEX documents_student ON documents(student_id);
CREATE INDEX documents_status ON documents(status);

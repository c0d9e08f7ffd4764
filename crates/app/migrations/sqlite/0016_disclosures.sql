-- The disclosure log (issue 13 point 6; FERPA 34 CFR 99.32 record of disclosures, HIPAA
-- 45 CFR 164.528 accounting of disclosures): every read of a student's record, documents,
-- checklist or files by someone other than the student — who (a snapshot of their name and
-- role, so the entry survives a renamed or disabled account), what, when, and why (the role
-- and, for those who supervise or host the student, the placement that gave access).
CREATE TABLE disclosures (
    id              TEXT PRIMARY KEY,
    student_id      TEXT NOT NULL REFERENCES students(id),
    viewer_user_id  TEXT NOT NULL REFERENCES users(id),
    viewer_name     TEXT NOT NULL,
    viewer_role     TEXT NOT NULL,
    what            TEXT NOT NULL,
    record_id       TEXT,
    placement_id    TEXT REFERENCES placements(id),
    reason          TEXT NOT NULL,
    at              TEXT NOT NULL
);
CREATE INDEX disclosures_student ON disclosures(student_id, at);

-- Evaluations (issue 16 points 1-3). Forms are data: a template is one version of a form
-- (family_id ties the versions together); editing a template that a filled evaluation points
-- at writes a new version and leaves the old one as it was. The default set is written by
-- `db::evaluations::seed_defaults` at the first migrate (Rust keeps the forms as JSON).
CREATE TABLE evaluation_templates (
    id          TEXT PRIMARY KEY,
    family_id   TEXT NOT NULL,
    version     BIGINT NOT NULL,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('clinical', 'internship')),
    -- A discipline's own form; NULL applies to every discipline of the kind.
    discipline  TEXT REFERENCES disciplines(code),
    point       TEXT NOT NULL CHECK (point IN ('midterm', 'final', 'site')),
    -- { "sections": [ { "title", "items": [ { "key", "label", "type", "required", "anchors"? } ] } ] }
    form_json   TEXT NOT NULL,
    is_current  BOOLEAN NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (family_id, version)
);
CREATE INDEX evaluation_templates_applies ON evaluation_templates(kind, point, is_current);

-- One evaluation per placement and point: the supervisor's midterm and final about the
-- student, the student's own of the site and supervisor. Its current version is this row;
-- the versions a correction replaced are kept in evaluation_versions.
CREATE TABLE evaluations (
    id                  TEXT PRIMARY KEY,
    placement_id        TEXT NOT NULL REFERENCES placements(id) ON DELETE CASCADE,
    point               TEXT NOT NULL CHECK (point IN ('midterm', 'final', 'site')),
    template_id         TEXT NOT NULL REFERENCES evaluation_templates(id),
    version             BIGINT NOT NULL,
    status              TEXT NOT NULL CHECK (status IN ('draft', 'signed')),
    answers_json        TEXT NOT NULL,
    -- An internship's site mentor's input to the faculty member's evaluation.
    mentor_comment      TEXT,
    author_user_id      TEXT NOT NULL REFERENCES users(id),
    signed_by_user_id   TEXT REFERENCES users(id),
    signed_by_name      TEXT,
    signed_at           TIMESTAMPTZ,
    acknowledged_at     TIMESTAMPTZ,
    student_comment     TEXT,
    -- Why this version replaced the one before (NULL for the first).
    correction_reason   TEXT,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL,
    UNIQUE (placement_id, point)
);

CREATE TABLE evaluation_versions (
    id                  TEXT PRIMARY KEY,
    evaluation_id       TEXT NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
    version             BIGINT NOT NULL,
    template_id         TEXT NOT NULL REFERENCES evaluation_templates(id),
    answers_json        TEXT NOT NULL,
    mentor_comment      TEXT,
    signed_by_name      TEXT,
    signed_at           TIMESTAMPTZ,
    acknowledged_at     TIMESTAMPTZ,
    student_comment     TEXT,
    correction_reason   TEXT,
    replaced_at         TIMESTAMPTZ NOT NULL,
    UNIQUE (evaluation_id, version)
);

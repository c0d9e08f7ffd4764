-- Internship projects (issue 16 point 4): one project per internship placement, with its
-- learning objectives and milestones (proposed by the student), each party's agreement (who and
-- when; an edit to the plan afterwards clears them and says so), and the final deliverable
-- (a sniffed PDF, stored by content hash like every upload) accepted or returned by the faculty.
CREATE TABLE projects (
    placement_id             TEXT PRIMARY KEY REFERENCES placements(id) ON DELETE CASCADE,
    faculty_agreed_by        TEXT REFERENCES users(id),
    faculty_agreed_by_name   TEXT,
    faculty_agreed_at        TIMESTAMPTZ,
    mentor_agreed_by         TEXT REFERENCES users(id),
    mentor_agreed_by_name    TEXT,
    mentor_agreed_at         TIMESTAMPTZ,
    -- The last time an edit cleared the agreements, by whom and what changed.
    agreement_reset_at       TIMESTAMPTZ,
    agreement_reset_by_name  TEXT,
    agreement_reset_reason   TEXT,
    deliverable_name         TEXT,
    deliverable_sha256       TEXT,
    deliverable_size         BIGINT,
    deliverable_uploaded_at  TIMESTAMPTZ,
    deliverable_status       TEXT CHECK (deliverable_status IN ('submitted', 'accepted', 'returned')),
    deliverable_note         TEXT,
    deliverable_reviewed_by_name TEXT,
    deliverable_reviewed_at  TIMESTAMPTZ,
    updated_at               TIMESTAMPTZ NOT NULL
);

CREATE TABLE project_items (
    id            TEXT PRIMARY KEY,
    placement_id  TEXT NOT NULL REFERENCES placements(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL CHECK (kind IN ('objective', 'milestone')),
    title         TEXT NOT NULL,
    -- Milestones only.
    due_on        DATE,
    status        TEXT CHECK (status IN ('planned', 'in_progress', 'done', 'dropped')),
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX project_items_placement ON project_items(placement_id, kind, created_at);

-- Offboarding (issue 16 point 6): what was provisioned for a placement ends when it does.
-- Created in the transaction that completes or cancels the placement, one per kind.
CREATE TABLE offboarding_tasks (
    id            TEXT PRIMARY KEY,
    placement_id  TEXT NOT NULL REFERENCES placements(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL CHECK (kind IN ('collect_badge', 'disable_network_account', 'disable_ehr_account', 'revoke_parking')),
    due_on        DATE NOT NULL,
    -- completed or cancelled: why the placement ended.
    ended_as      TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    done_at       TIMESTAMPTZ,
    done_by       TEXT REFERENCES users(id),
    done_by_name  TEXT,
    UNIQUE (placement_id, kind)
);
CREATE INDEX offboarding_tasks_due ON offboarding_tasks(done_at, due_on);

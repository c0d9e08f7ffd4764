-- A placement's shifts (issue 15 point 1): generated from the request's weekly pattern when
-- the placement is made (placements made before this migration get theirs from the Rust-side
-- backfill in `Db::migrate`, `db::shifts::backfill`), then moved, added (make-up days) and
-- cancelled (with a reason) by the office and the placement's supervisors. Times are HH:MM in
-- the office's time zone; an end before the start runs into the next day.
CREATE TABLE shifts (
    id                  TEXT PRIMARY KEY,
    placement_id        TEXT NOT NULL REFERENCES placements(id) ON DELETE CASCADE,
    date                TEXT NOT NULL,
    starts_at           TEXT NOT NULL,
    ends_at             TEXT NOT NULL,
    department_id       TEXT NOT NULL REFERENCES departments(id),
    -- The preceptor or site mentor (staff) and, for an internship, the faculty member (user).
    supervisor_staff_id TEXT REFERENCES staff(id),
    supervisor_user_id  TEXT REFERENCES users(id),
    kind                TEXT NOT NULL CHECK (kind IN ('regular', 'make_up')),
    status              TEXT NOT NULL CHECK (status IN ('scheduled', 'cancelled')),
    cancel_reason       TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX shifts_placement ON shifts(placement_id, date);
CREATE INDEX shifts_date ON shifts(date);

-- Each person's private calendar feed (issue 15 point 2): only the token's SHA-256 is kept;
-- a new link replaces the row, so the old URL stops working.
CREATE TABLE calendar_feeds (
    user_id     TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL
);

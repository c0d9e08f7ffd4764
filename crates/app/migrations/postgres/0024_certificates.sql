-- Certificates of completion (issue 16 point 5): one per completed placement, issued in the
-- transaction that completes it, its words kept as issued (a later rename does not change a
-- certificate already given), looked up by its id.
CREATE TABLE certificates (
    id            TEXT PRIMARY KEY,
    placement_id  TEXT NOT NULL UNIQUE REFERENCES placements(id) ON DELETE CASCADE,
    issued_at     TIMESTAMPTZ NOT NULL,
    details_json  TEXT NOT NULL
);

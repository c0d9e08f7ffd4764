-- A page of placements derives each one's risks from the open placements (not cancelled or
-- completed) of the same student, department and preceptor whose days overlap its own
-- (`db::placements::overlapping_open`, `open_depending_on_any`). With only the single-column
-- indexes PostgreSQL read every placement into a hash join for a page deep in the list:
-- 16.6 ms of a page's statement at 40,000 placements, 1.3 ms with these (issue 18 point 4;
-- bench/results/server-scale.md, sixth round). Partial on the queries' own literal condition,
-- so they hold only what can still hold a seat.
CREATE INDEX placements_open_student_days ON placements(student_id, starts_on, ends_on)
    WHERE status NOT IN ('cancelled', 'completed');
CREATE INDEX placements_open_department_days ON placements(department_id, starts_on, ends_on)
    WHERE status NOT IN ('cancelled', 'completed');
CREATE INDEX placements_open_preceptor_days ON placements(preceptor_id, starts_on, ends_on)
    WHERE status NOT IN ('cancelled', 'completed');

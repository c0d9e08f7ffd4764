-- Term planning runs: the problem built from the records, the allocator's progress and its
-- proposal, kept for audit (the problem and solution can be downloaded as JSON).
CREATE TABLE planning_runs (
    id              TEXT PRIMARY KEY,
    starts_on       DATE NOT NULL,
    ends_on         DATE NOT NULL,
    -- running, done, failed, cancelled, interrupted
    status          TEXT NOT NULL,
    -- asked to stop: the worker notices and keeps the best found so far
    cancel_requested BOOLEAN NOT NULL DEFAULT FALSE,
    seed            BIGINT NOT NULL,
    time_limit_ms   BIGINT NOT NULL,
    problem_json    TEXT NOT NULL,
    -- the requests left out of the problem and why, and display names
    context_json    TEXT NOT NULL,
    progress_json   TEXT,
    solution_json   TEXT,
    error           TEXT,
    based_on        TEXT REFERENCES planning_runs(id),
    created_by      TEXT REFERENCES users(id),
    created_at      TIMESTAMPTZ NOT NULL,
    finished_at     TIMESTAMPTZ,
    accepted_at     TIMESTAMPTZ
);
CREATE INDEX planning_runs_created ON planning_runs(created_at);

-- One-time keys of POSTs (API `Idempotency-Key` header, pages' hidden `form_key`): the first
-- request with a key claims it (status NULL while it runs) and stores its answer; a repeat by
-- the same principal within 24 hours answers it again instead of running. `principal` is the
-- user's id, or '' for a caller without a session (the public inquiry form).
CREATE TABLE idempotency_keys (
    principal       TEXT NOT NULL,
    key             TEXT NOT NULL,
    method_path     TEXT NOT NULL,
    body_hash       TEXT NOT NULL,
    status          INTEGER,
    content_type    TEXT,
    location        TEXT,
    body            BLOB,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (principal, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);

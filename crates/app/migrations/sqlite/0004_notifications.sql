-- Outgoing mail, enqueued in the transaction of the change that causes it and sent by a
-- background worker with retries; and each user's in-app notifications.
CREATE TABLE mail_queue (
    id              TEXT PRIMARY KEY,
    to_name         TEXT NOT NULL,
    to_email        TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    sent_at         TEXT,
    last_error      TEXT
);
CREATE INDEX mail_queue_due ON mail_queue(next_attempt_at) WHERE sent_at IS NULL;

CREATE TABLE notifications (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    kind        TEXT NOT NULL,
    message     TEXT NOT NULL,
    link        TEXT,
    created_at  TEXT NOT NULL,
    read_at     TEXT
);
CREATE INDEX notifications_user ON notifications(user_id, id);

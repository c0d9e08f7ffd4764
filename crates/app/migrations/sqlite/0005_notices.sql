-- Reminders sent by the periodic sweep, so each is sent once: "lapse:<placement>:<code>",
-- "start14:<placement>", and the time of each office user's last upload digest.
CREATE TABLE notices_sent (
    key         TEXT PRIMARY KEY,
    sent_at     TEXT NOT NULL
);

-- E-mail preferences and the daily digest (issue 17 point 4).
-- A row for each kind of notice e-mail (domain::notice::EmailKind, e.g. 'agreement_expiring')
-- a person has turned off; the in-app notification is still written.
CREATE TABLE email_preferences (
    user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    turned_off_at TEXT NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- Items waiting for their person's daily digest e-mail, written in the transaction of the
-- notice they belong to; `mail_id` is set in the transaction that queues the digest listing
-- them (claimed as 'email_digest:<user>:<day>' in notices_sent), so an item is mailed once
-- and none is lost if the process stops in between.
CREATE TABLE digest_items (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    line        TEXT NOT NULL,
    link        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    mail_id     TEXT
);
CREATE INDEX digest_items_waiting ON digest_items(user_id, created_at) WHERE mail_id IS NULL;

-- The office's settings (issue 12 point 8, `GET/PATCH /api/v1/settings`): one row, `id` 1.
-- `time_zone` is an IANA name; "today" everywhere is the date there. `public_base_url` starts
-- every link an e-mail carries; NULL until the first `practicum serve` (or any command that
-- opens the database) fills it with the server's own address, which the admin then changes.
-- The coordinator's name, the address for clinical requests and the phone number show on the
-- public page; NULL shows nothing.
CREATE TABLE settings (
    id                  INTEGER PRIMARY KEY CHECK (id = 1),
    organisation_name   TEXT NOT NULL,
    time_zone           TEXT NOT NULL,
    coordinator_name    TEXT,
    request_email       TEXT,
    phone               TEXT,
    public_base_url     TEXT
);
INSERT INTO settings (id, organisation_name, time_zone)
VALUES (1, 'Healthcare Education Office', 'UTC');

-- Issue 13 points 2 and 3: sessions a person can see and end, accounts an admin can disable,
-- and sign-in throttling whose counts decay.
-- Sessions made before this migration carry no public id and no device: they end (people sign
-- in again) rather than being listed half-described.
DELETE FROM sessions;
ALTER TABLE sessions ADD COLUMN id TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN user_agent TEXT;
CREATE UNIQUE INDEX sessions_id ON sessions(id);

-- Set while the account is disabled: it cannot sign in and has no sessions; its records stay.
ALTER TABLE users ADD COLUMN disabled_at TIMESTAMPTZ;

-- A leaky bucket per key: `failures` leaks one per decay interval since `updated_at`.
DELETE FROM login_throttle;
ALTER TABLE login_throttle ADD COLUMN updated_at TIMESTAMPTZ NOT NULL DEFAULT '1970-01-01T00:00:00Z';
CREATE INDEX login_throttle_updated ON login_throttle(updated_at);

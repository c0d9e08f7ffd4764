-- Invitations and password resets share one table of one-time links (issue 14 point 2):
-- `purpose` says which ('invitation', 7 days; 'password_reset', 1 hour). Only the token's
-- SHA-256 is stored. A new link for the same person and purpose ends the ones before it.
ALTER TABLE invitations ADD COLUMN purpose TEXT NOT NULL DEFAULT 'invitation';
CREATE INDEX invitations_user ON invitations(user_id, purpose);

-- The audit trail proves itself (issue 13 point 5): each event carries its place in the chain
-- (seq), the hash of the event before it (prev_hash) and its own hash (domain/audit_chain.rs).
-- Rows written before this migration are chained once at start (db::audit::backfill).
ALTER TABLE audit_events ADD COLUMN seq INTEGER;
ALTER TABLE audit_events ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_events ADD COLUMN hash TEXT;
-- One event per place: two appends can never both take the same place (the chain cannot fork).
CREATE UNIQUE INDEX audit_seq ON audit_events(seq);

-- Append-only. The one change allowed is the one-time chaining of an event written before the
-- chain existed: setting seq, prev_hash and hash on a row that has no hash, nothing else.
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
WHEN OLD.hash IS NOT NULL
  OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.actor_id IS NOT OLD.actor_id
  OR NEW.actor_label IS NOT OLD.actor_label OR NEW.action IS NOT OLD.action
  OR NEW.record_type IS NOT OLD.record_type OR NEW.record_id IS NOT OLD.record_id
  OR NEW.before_json IS NOT OLD.before_json OR NEW.after_json IS NOT OLD.after_json
  OR NEW.ip IS NOT OLD.ip
BEGIN
  SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused');
END;

CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
  SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused');
END;

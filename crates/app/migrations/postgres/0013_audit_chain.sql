-- The audit trail proves itself (issue 13 point 5): each event carries its place in the chain
-- (seq), the hash of the event before it (prev_hash) and its own hash (domain/audit_chain.rs).
-- Rows written before this migration are chained once at start (db::audit::backfill).
ALTER TABLE audit_events ADD COLUMN seq BIGINT;
ALTER TABLE audit_events ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_events ADD COLUMN hash TEXT;
-- One event per place: two appends can never both take the same place (the chain cannot fork).
CREATE UNIQUE INDEX audit_seq ON audit_events(seq);

-- Append-only. The one change allowed is the one-time chaining of an event written before the
-- chain existed: setting seq, prev_hash and hash on a row that has no hash, nothing else.
CREATE FUNCTION audit_events_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF OLD.hash IS NULL
           AND NEW.id IS NOT DISTINCT FROM OLD.id AND NEW.at IS NOT DISTINCT FROM OLD.at
           AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
           AND NEW.actor_label IS NOT DISTINCT FROM OLD.actor_label
           AND NEW.action IS NOT DISTINCT FROM OLD.action
           AND NEW.record_type IS NOT DISTINCT FROM OLD.record_type
           AND NEW.record_id IS NOT DISTINCT FROM OLD.record_id
           AND NEW.before_json IS NOT DISTINCT FROM OLD.before_json
           AND NEW.after_json IS NOT DISTINCT FROM OLD.after_json
           AND NEW.ip IS NOT DISTINCT FROM OLD.ip THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

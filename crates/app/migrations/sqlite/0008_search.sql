-- Search finds people however their names were typed (issue 12, point 6): each searchable
-- table keeps `search`, the folded form (case, accents, apostrophe and quote forms) of the
-- text its list's `q` matches, written by the store with the row (db/search.rs). A migration
-- cannot fold text, so the column starts NULL and the store fills every NULL right after
-- migrating (db::search::backfill, idempotent).
ALTER TABLE students ADD COLUMN search TEXT;
ALTER TABLE staff ADD COLUMN search TEXT;
ALTER TABLE schools ADD COLUMN search TEXT;
ALTER TABLE sites ADD COLUMN search TEXT;
ALTER TABLE departments ADD COLUMN search TEXT;
ALTER TABLE programs ADD COLUMN search TEXT;
ALTER TABLE users ADD COLUMN search TEXT;

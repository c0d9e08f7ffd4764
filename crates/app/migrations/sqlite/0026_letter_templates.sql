-- The texts of the letters the office sends (issue 17 part 3): one row per kind
-- (`placement_confirmation`, `welcome`, `agreement_renewal`) once the office has edited it;
-- until then the text the product ships (`domain::letters`) is used. Not `agreement_texts`:
-- those are the agreements a student signs, kept as versions.
CREATE TABLE letter_templates (
    kind        TEXT PRIMARY KEY,
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT
);

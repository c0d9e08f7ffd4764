-- A site's street address and what a student needs on arrival (parking, badge pick-up, whom
-- to ask for): the placement page and the welcome letter show them (issue 15 point 1).
ALTER TABLE sites ADD COLUMN address TEXT;
ALTER TABLE sites ADD COLUMN arrival_notes TEXT;

-- The text of each agreement a student signs in the system (issue 14 point 3): kept by the
-- office, never changed once written — a change is a new version — so a signature names the
-- very text the student was shown (documents.signed_text_version).
CREATE TABLE agreement_texts (
    requirement_code TEXT NOT NULL,
    version          INTEGER NOT NULL,
    body             TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    created_by       TEXT,
    PRIMARY KEY (requirement_code, version)
);
ALTER TABLE documents ADD COLUMN signed_text_version INTEGER;
-- A first text for the catalog's confidentiality agreement; the office edits it.
INSERT INTO agreement_texts (requirement_code, version, body, created_at, created_by)
VALUES ('confidentiality', 1, 'By signing I agree that, during my placement and after it: I keep confidential everything I learn about patients, their families and the hospital''s staff, in any form (spoken, written, on screen); I look at, use and share patient information only as my supervised work at the hospital needs it, and never to anyone who does not need it for a patient''s care (HIPAA, 45 CFR 164.502(b)); I use only my own sign-ins and badge, never share them, and sign out when I leave a screen; I do not photograph, copy or take away patient information, nor post anything about patients, even without names, on social media; I report at once to my preceptor or the education office anything I see or do that may have exposed patient information. I understand that breaking this agreement may end my placement and be reported to my school.', '2026-11-30T00:00:00+00:00', NULL);

-- Two-step sign-in and single sign-on (issue 13 point 4).
--
-- The admin's setting that makes a TOTP second step required for the office's own roles
-- (admin, coordinator): such a user without one is sent to enrol before anything else.
ALTER TABLE settings ADD COLUMN require_mfa_for_office BOOLEAN NOT NULL DEFAULT FALSE;

-- One TOTP authenticator per user (RFC 6238). `secret` is the shared key in base32; it is shown
-- once, while enrolling, and never answered again (README "Two-step sign-in"). `confirmed_at`
-- is NULL until the first code proves the authenticator holds it; only then does sign-in ask
-- for codes. `last_step` is the time step of the last code accepted: a code of that step or an
-- earlier one is refused (RFC 6238 section 5.2, "the verifier MUST NOT accept the second
-- attempt of the same OTP").
CREATE TABLE user_totp (
    user_id         TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    secret          TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    confirmed_at    TEXT,
    last_step       BIGINT
);

-- One-time recovery codes: only a SHA-256 of each is kept (they are 50 random bits each, so a
-- fast hash is enough); `used_at` is set when one is spent.
CREATE TABLE recovery_codes (
    user_id         TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash       TEXT NOT NULL,
    used_at         TEXT,
    PRIMARY KEY (user_id, code_hash)
);

-- A password accepted for a user with TOTP: the short-lived token that `POST
-- /api/v1/auth/login/mfa` (or the sign-in page's second step) exchanges, with a code, for a
-- session. Only a SHA-256 of the token is kept, as for sessions.
CREATE TABLE mfa_challenges (
    token_hash      TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at      TEXT NOT NULL
);
CREATE INDEX mfa_challenges_user ON mfa_challenges(user_id);

-- An account linked to the hospital's identity provider (OpenID Connect Core 1.0 section 2:
-- `iss` and `sub` together identify the person for good; an e-mail may change).
CREATE TABLE oidc_links (
    issuer          TEXT NOT NULL,
    subject         TEXT NOT NULL,
    user_id         TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    linked_at       TEXT NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX oidc_links_user ON oidc_links(user_id);

-- A sign-in sent to the identity provider and not back yet: the `state` (SHA-256 kept), the
-- `nonce` the ID token must carry, and the PKCE verifier (RFC 7636) the token request sends.
CREATE TABLE oidc_pending (
    state_hash      TEXT PRIMARY KEY,
    nonce           TEXT NOT NULL,
    pkce_verifier   TEXT NOT NULL,
    expires_at      TEXT NOT NULL
);

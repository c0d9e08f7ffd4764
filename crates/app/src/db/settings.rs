//! The office's settings: the one row of `settings` (migration 0010).
use super::{DbResult, Tx};
use crate::on_tx;
use serde::Serialize;

/// The settings as stored. `time_zone` is an IANA name and `public_base_url` an absolute
/// http(s) URL without a trailing `/` (both checked by `domain::settings` before they are
/// written); `None` is a contact detail not given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Settings {
    pub organisation_name: String,
    pub time_zone: String,
    pub coordinator_name: Option<String>,
    pub request_email: Option<String>,
    pub phone: Option<String>,
    /// Empty only before the server's first start filled it (`fill_public_base_url`).
    pub public_base_url: String,
    /// Admins and coordinators must sign in with a second step (migration 0014; issue 13
    /// point 4): one without an authenticator is sent to enrol before anything else.
    pub require_mfa_for_office: bool,
}

const SELECT: &str = "SELECT organisation_name, time_zone, coordinator_name, request_email, \
                      phone, COALESCE(public_base_url, '') AS public_base_url, \
                      require_mfa_for_office \
                      FROM settings WHERE id = 1";

/// The settings (the migration wrote the row, so there always is one).
pub async fn get(tx: &mut Tx) -> DbResult<Settings> {
    Ok(on_tx!(tx, c => sqlx::query_as(SELECT).fetch_one(c).await)?)
}

/// Writes every field.
pub async fn update(tx: &mut Tx, s: &Settings) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE settings SET organisation_name = $1, time_zone = $2, coordinator_name = $3,
         request_email = $4, phone = $5, public_base_url = $6, require_mfa_for_office = $7
         WHERE id = 1")
        .bind(&s.organisation_name).bind(&s.time_zone).bind(&s.coordinator_name)
        .bind(&s.request_email).bind(&s.phone).bind(&s.public_base_url).bind(s.require_mfa_for_office)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Sets the public base URL to `origin` if it has none yet (the first start); returns whether
/// it did.
pub async fn fill_public_base_url(tx: &mut Tx, origin: &str) -> DbResult<bool> {
    let n = on_tx!(tx, c => sqlx::query(
        "UPDATE settings SET public_base_url = $1 WHERE id = 1 AND public_base_url IS NULL")
        .bind(origin).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

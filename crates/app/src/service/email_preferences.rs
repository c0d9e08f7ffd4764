//! Each person's choice of notice e-mails (issue 17 point 4): every kind
//! (`domain::notice::EmailKind`) is on until they turn it off; an e-mail kind turned off is not
//! sent, the in-app notification still is. Only ever the caller's own.
use crate::db;
use crate::domain::notice::EmailKind;
use crate::error::AppResult;
use crate::service::Principal;
use crate::state::AppState;

/// One kind of e-mail and whether the caller gets it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmailPreference {
    pub kind: EmailKind,
    /// True: e-mailed; false: turned off (the in-app notification stays).
    pub email: bool,
}

/// The kinds the caller wants no e-mail for: the whole set, replacing the one before.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EmailPreferencesUpdate {
    pub off: Vec<EmailKind>,
}

/// Every kind, in `EmailKind::ALL`'s order, with the caller's choice.
pub async fn own(st: &AppState, p: &Principal) -> AppResult<Vec<EmailPreference>> {
    let mut tx = st.db.read().await?;
    let off = db::email_preferences::off_of(&mut tx, &p.user_id).await?;
    Ok(EmailKind::ALL
        .into_iter()
        .map(|kind| EmailPreference {
            kind,
            email: !off.iter().any(|o| o == kind.as_str()),
        })
        .collect())
}

/// Turns off exactly the kinds in `input.off` (and every other kind back on), in one
/// transaction; answers the caller's preferences as they now stand.
pub async fn set_own(
    st: &AppState,
    p: &Principal,
    input: EmailPreferencesUpdate,
) -> AppResult<Vec<EmailPreference>> {
    // E-mail preferences are none of a placement's facts (migration 0039).
    let mut tx = st.db.write_leaving_placements().await?;
    let off: Vec<&str> = input.off.iter().map(|k| k.as_str()).collect();
    db::email_preferences::replace(&mut tx, &p.user_id, &off, st.clock.now()).await?;
    tx.commit().await?;
    own(st, p).await
}

//! Two-step sign-in's bodies (issue 13 point 4): a code, and the second step of a sign-in.
use crate::domain::ErrorCode;
use crate::domain::mfa::SecondFactor;
use crate::error::AppResult;
use crate::http::body::body;
use crate::http::extract::{Input, parse};
use serde_json::{Map, Value};

body! {
    /// A code from the authenticator (six digits) or, where the operation takes one, a
    /// recovery code (`abcde-fgh23`).
    pub struct MfaCodeInput {
        /// Six digits from the authenticator app, or a recovery code.
        code: String,
    }
}

body! {
    /// The second step of a sign-in.
    pub struct LoginMfaInput {
        /// The `mfa_token` of the 401 `mfa_required` that the password answered.
        mfa_token: String,
        /// Six digits from the authenticator app, or a recovery code.
        code: String,
    }
}

type R<T> = Result<T, (ErrorCode, String)>;

/// Six digits or a recovery code; anything else is `mfa_code_invalid`.
pub fn second_factor(v: &Value) -> R<SecondFactor> {
    let s = parse::text(v)?;
    SecondFactor::parse(&s).ok_or((
        ErrorCode::MfaCodeInvalid,
        "must be the six digits the authenticator shows, or a recovery code".into(),
    ))
}

/// `{ code }`. Errors: 422 `required`, `mfa_code_invalid`, `unknown_field`.
pub fn code(body: Map<String, Value>) -> AppResult<SecondFactor> {
    let (mut i, b) = Input::read::<MfaCodeInput>(body);
    let code = i.req(&b.code, None, &second_factor);
    i.finish()?;
    code.ok_or_else(|| anyhow::anyhow!("a parsed code went missing").into())
}

/// `{ mfa_token, code }`: the token, and the code if it reads as one (a code that does not is
/// answered as a wrong code, counted by the throttle). Errors: 422 `required`, `unknown_field`.
pub fn login_mfa(body: Map<String, Value>) -> AppResult<(String, Option<SecondFactor>)> {
    let (mut i, b) = Input::read::<LoginMfaInput>(body);
    let token = i.req(&b.mfa_token, None, &parse::text);
    let code = i.req(&b.code, None, &parse::text);
    i.finish()?;
    Ok((
        token.unwrap_or_default(),
        code.and_then(|c| SecondFactor::parse(&c)),
    ))
}

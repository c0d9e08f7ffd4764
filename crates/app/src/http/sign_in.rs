//! The HTTP side of two-step sign-in (issue 13 point 4): the 401 `mfa_required` answer, the QR
//! code, and what stands between a signed-in user and everything else. The sign-in itself —
//! first factor, challenge, second step, session — is `service::sign_in`. While the office
//! requires a second step of a role, a user of it without one may only enrol: the API answers
//! 403 `mfa_enrollment_required`, the pages send them to `/profile/mfa`.
use super::error::{AppError, AppResult, Problem};
use crate::domain::{ErrorCode, FieldError, mfa::CHALLENGE_SECONDS};
use crate::service::{self, Principal};
use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Serialize;

/// The 401 that `POST /api/v1/auth/login` answers a right password of a user with an
/// authenticator: an RFC 9457 problem with code `mfa_required` and two extension members,
/// `mfa_token` (for `POST /api/v1/auth/login/mfa`) and `expires_in` (seconds).
#[derive(Serialize, utoipa::ToSchema)]
pub struct MfaRequiredProblem {
    #[serde(flatten)]
    pub problem: Problem,
    pub mfa_token: String,
    pub expires_in: i64,
}

pub fn mfa_required_response(mfa_token: String) -> Response {
    let body = MfaRequiredProblem {
        problem: Problem {
            kind: "/api/problems/mfa-required".into(),
            title: "A second step is needed".into(),
            status: 401,
            detail: "The password is right; send a code from the authenticator (or a recovery code) with mfa_token to POST /api/v1/auth/login/mfa.".into(),
            errors: vec![
                FieldError::new(
                    ErrorCode::MfaRequired,
                    None,
                    "a code from the authenticator is needed",
                )
                .into(),
            ],
        },
        mfa_token,
        expires_in: CHALLENGE_SECONDS,
    };
    let mut res = (
        StatusCode::UNAUTHORIZED,
        serde_json::to_vec(&body).unwrap_or_default(),
    )
        .into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    res
}

/// API paths a user who must enrol may still call: who they are, signing out, and enrolling.
fn api_path_open_before_enrolment(path: &str) -> bool {
    path == "/api/v1/me" || path.starts_with("/api/v1/me/mfa") || path == "/api/v1/auth/logout"
}

/// Pages a user who must enrol may still open.
pub fn page_open_before_enrolment(path: &str) -> bool {
    path.starts_with("/profile/mfa") || path == "/logout"
}

/// 403 `mfa_enrollment_required` for a user who must enrol, on anything but enrolling.
pub fn api_gate(p: &Principal, path: &str) -> AppResult<()> {
    if api_path_open_before_enrolment(path) || !service::mfa::must_enrol(p) {
        return Ok(());
    }
    Err(AppError::conflict(
        ErrorCode::MfaEnrollmentRequired,
        "the office requires two-step sign-in for your role: enrol an authenticator first (POST /api/v1/me/mfa/totp)",
    ))
}

/// The QR code of an `otpauth://` URL as an SVG element, drawn here (no network, no script):
/// what an authenticator app scans. Errors: the URL is too long for a QR code.
pub fn qr_svg(url: &str) -> AppResult<String> {
    use qrcode::{EcLevel, QrCode, render::svg};
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)
        .map_err(|e| anyhow::anyhow!("no QR code: {e}"))?;
    let svg = code
        .render::<svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    // Inline in a page: the XML declaration has no place there.
    Ok(match svg.find("<svg") {
        Some(i) => svg[i..].to_string(),
        None => svg,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_enrolling_is_open_before_enrolment() {
        assert!(api_path_open_before_enrolment("/api/v1/me/mfa/totp"));
        assert!(api_path_open_before_enrolment("/api/v1/me"));
        assert!(!api_path_open_before_enrolment("/api/v1/students"));
        assert!(!api_path_open_before_enrolment("/api/v1/settings"));
        assert!(page_open_before_enrolment("/profile/mfa/confirm"));
        assert!(!page_open_before_enrolment("/"));
    }

    #[test]
    fn the_qr_code_is_an_svg_element() {
        let svg = qr_svg("otpauth://totp/Office:a%40b.example?secret=ABC&issuer=Office")
            .unwrap_or_default();
        assert!(svg.starts_with("<svg"), "{svg:.40}");
        assert!(svg.ends_with("</svg>"));
    }
}

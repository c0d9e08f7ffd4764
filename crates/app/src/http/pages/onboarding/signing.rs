//! Signing an agreement in the system (issue 14 point 3): the student reads the office's text
//! — its current version — and signs it by typing their name; the office keeps the texts, each
//! edit a new version (`/agreement-texts/{code}`). The same use cases as
//! `POST /api/v1/placements/{id}/signatures` and `/api/v1/agreement-texts/{code}`.
use crate::error::AppError;
use crate::http::pages::view::{Field, human_date};
use crate::http::pages::{Chrome, Form, FormPage, PageResult, PageUser, Summary, see};
use crate::service::onboarding::{agreement_texts, attestations};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::IntoResponse,
};

#[derive(Template, WebTemplate)]
#[template(path = "sign.html")]
struct SignPage {
    chrome: Chrome,
    summary: Summary,
    requirement: String,
    version: i64,
    dated: String,
    body: String,
    action: String,
    cancel: String,
    name: String,
    name_error: String,
}

async fn sign_page(
    st: &AppState,
    user: &PageUser,
    placement_id: &str,
    code: &str,
    name: String,
    problem: Option<String>,
) -> PageResult {
    let text = agreement_texts::read(st, &user.p, code, None).await?;
    let mut tx = st.db.read().await?;
    let requirement = crate::db::requirements::by_code(&mut tx, code)
        .await?
        .map(|r| r.name)
        .ok_or(AppError::NotFound)?;
    drop(tx);
    let (summary, name_error, status) = match problem {
        Some(p) => (
            vec![("f-name".to_string(), p.clone())],
            p,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        None => (vec![], String::new(), StatusCode::OK),
    };
    Ok((
        status,
        SignPage {
            chrome: user.chrome(format!("Sign: {requirement}")),
            summary,
            requirement,
            version: text.version,
            dated: human_date(text.created_at.date_naive()),
            body: text.body,
            action: format!("/placements/{placement_id}/onboarding/{code}"),
            cancel: format!("/placements/{placement_id}/onboarding"),
            name,
            name_error,
        },
    )
        .into_response())
}

/// `GET /placements/{id}/onboarding/{code}`: the agreement and the form that signs it (the
/// placement's student only; anyone else is answered as for a placement they do not have).
pub async fn show(
    State(st): State<AppState>,
    user: PageUser,
    Path((raw, code)): Path<(String, String)>,
) -> PageResult {
    let id = crate::http::extract::parse_id(&raw).ok_or(AppError::NotFound)?;
    if user.p.student_id.is_none() {
        return Err(AppError::NotFound.into());
    }
    sign_page(&st, &user, &id, &code, user.p.name.clone(), None).await
}

/// The student's signature, posted from the page above.
pub async fn sign(
    st: &AppState,
    user: &PageUser,
    id: &str,
    code: String,
    form: &Form,
) -> PageResult {
    let name = form.get("name").unwrap_or("").trim().to_string();
    if name.is_empty() {
        return sign_page(
            st,
            user,
            id,
            &code,
            name,
            Some("Type your full name to sign.".into()),
        )
        .await;
    }
    let version = form.get("version").and_then(|v| v.parse().ok());
    let signature = attestations::Signature {
        code: code.clone(),
        name: name.clone(),
        version,
    };
    match attestations::sign(st, &user.p, id, signature).await {
        Ok(_) => Ok(see(&format!("/placements/{id}/onboarding"), "saved")),
        Err(AppError::Rejected(p)) => {
            let words =
                p.0.iter()
                    .map(|e| e.message.clone())
                    .collect::<Vec<_>>()
                    .join("; ");
            sign_page(st, user, id, &code, name, Some(words)).await
        }
        Err(e) => Err(e.into()),
    }
}

fn text_form(user: &PageUser, code: &str, current: &str, intro: String) -> FormPage {
    FormPage {
        chrome: user.chrome("The agreement's text"),
        intro,
        action: format!("/agreement-texts/{code}"),
        fields: vec![
            Field::new("body", "Text students read and sign", "textarea")
                .required()
                .value(current)
                .hint("Saving keeps a new version; signatures already made keep naming the version they signed."),
        ],
        summary: vec![],
        submit: "Save as a new version",
        cancel: "/requirements".into(),
        multipart: false,
        at_risk: vec![],
    }
}

/// `GET /agreement-texts/{code}` (the office): the current text in a form to edit it.
pub async fn edit_text(
    State(st): State<AppState>,
    user: PageUser,
    Path(code): Path<String>,
) -> PageResult {
    user.p.authorize(
        crate::domain::policy::Resource::Requirement,
        crate::domain::policy::Action::Write,
    )?;
    let (body, intro) = match agreement_texts::read(&st, &user.p, &code, None).await {
        Ok(t) => (
            t.body,
            format!(
                "Version {} of {}, kept on {}.",
                t.version,
                crate::domain::words::sentence(&code),
                human_date(t.created_at.date_naive())
            ),
        ),
        Err(AppError::NotFound) => (
            String::new(),
            "No text yet: students cannot sign it until there is one.".into(),
        ),
        Err(e) => return Err(e.into()),
    };
    Ok(text_form(&user, &code, &body, intro).into_response())
}

pub async fn save_text(
    State(st): State<AppState>,
    user: PageUser,
    Path(code): Path<String>,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    let body = form.get("body").unwrap_or("").to_string();
    match agreement_texts::write(&st, &user.p, &code, &body).await {
        Ok(_) => Ok(see(&format!("/agreement-texts/{code}"), "saved")),
        Err(AppError::Rejected(p)) if p.status() == 422 => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            text_form(&user, &code, &body, String::new()).with_problems(&p),
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

//! Who starts within 14 days and what each still lacks: the provisioning (badge) list.
use crate::db::{self, Scope};
use crate::domain::policy::{Action, Resource};
use crate::http::extract::Params;
use crate::http::pages::view::{Cell, Table};
use crate::http::pages::{ListPage, PageResult, PageUser, list_response};
use crate::service::onboarding;
use crate::state::AppState;
use axum::extract::State;

/// Students starting within 14 days, with what they still lack: the badge list.
pub(super) async fn starting_soon(
    State(st): State<AppState>,
    user: PageUser,
    params: Params,
) -> PageResult {
    user.p.authorize(Resource::Requirement, Action::Write)?;
    let today = st.clock.today();
    let f = db::placements::Filter {
        from: Some(today),
        to: Some(today + chrono::Duration::days(14)),
        ..Default::default()
    };
    let mut tx = st.db.read().await?;
    let rows = db::placements::list(
        &mut tx,
        &Scope::All,
        &f,
        &db::Page {
            limit: 2000,
            after: None,
            sort: None,
        },
    )
    .await?
    .items;
    let mut t = Table::new(
        "Starting within 14 days",
        vec!["Student", "Starts", "Clearance", "Still missing"],
        "Nobody starts in the next 14 days.",
    );
    for r in rows
        .iter()
        .filter(|r| r.starts_on >= today && matches!(r.status.as_str(), "proposed" | "confirmed"))
    {
        let Some(sid) = &r.student_id else { continue };
        let name = db::students::get(&mut tx, sid)
            .await?
            .map(|s| s.full_name())
            .unwrap_or_default();
        let items = onboarding::checklist(&mut tx, sid, Some(&r.id), today).await?;
        let missing: Vec<String> = items
            .iter()
            .filter(|i| i.state != "verified")
            .map(|i| i.name.clone())
            .collect();
        let status = if missing.is_empty() {
            Cell::badge("cleared", "ok")
        } else {
            Cell::badge("not cleared", "bad")
        };
        t.rows.push(vec![
            Cell::link(name, format!("/placements/{}/onboarding", r.id)),
            Cell::date(Some(r.starts_on)),
            status,
            Cell::text(missing.join(", ")),
        ]);
    }
    drop(tx);
    let page = ListPage {
        chrome: user.chrome("Starting soon"),
        intro: "Who starts in the next 14 days and what each still lacks — badge, accounts and parking included.".into(),
        filters: vec![],
        table: t,
        actions: vec![("/documents".into(), "Documents to review".into())],
        csv_href: String::new(),
        next_href: String::new(),
    };
    Ok(list_response(&user, &params, page, None, "starting-soon"))
}

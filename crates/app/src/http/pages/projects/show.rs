//! The project page itself: the facts, who agreed, the objective and milestone tables and the
//! forms each party may use; and the placement page's link to it.
use super::id_of;
use crate::db::projects::ItemRow;
use crate::domain::project::{self, MilestoneStatus};
use crate::http::pages::view::{Cell, Table, human_date};
use crate::http::pages::{ActionForm, PageResult, PageUser, RecordPage, Section, UploadForm};
use crate::http::upload;
use crate::service::projects::{self, Project};
use crate::state::AppState;
use axum::{
    extract::{Path, State},
    response::IntoResponse,
};

fn status_words(s: &Option<String>) -> String {
    s.as_deref()
        .and_then(MilestoneStatus::parse)
        .map_or("", |s| s.words())
        .to_string()
}

fn agreement(
    name: &Option<String>,
    at: Option<chrono::DateTime<chrono::Utc>>,
    st: &AppState,
) -> Cell {
    match at {
        Some(at) => Cell::badge(
            format!(
                "agreed by {} on {}",
                name.clone().unwrap_or_default(),
                st.clock.local(at).format("%a %-d %b %Y %H:%M %Z")
            ),
            "ok",
        ),
        None => Cell::badge("not agreed yet", "warn"),
    }
}

/// The project page.
pub(super) async fn page(
    st: &AppState,
    user: &PageUser,
    pr: Project,
    upload_error: String,
) -> RecordPage {
    let id = pr.placement.id.clone();
    let r = &pr.row;
    let mut facts = vec![
        (
            "Internship",
            Cell::link(
                format!(
                    "{} to {}",
                    human_date(pr.placement.starts_on),
                    human_date(pr.placement.ends_on)
                ),
                format!("/placements/{id}"),
            ),
        ),
        (
            "The plan",
            if pr.agreed() {
                Cell::badge("agreed", "ok")
            } else {
                Cell::badge("not agreed yet", "warn")
            },
        ),
        (
            "Faculty member",
            agreement(&r.faculty_agreed_by_name, r.faculty_agreed_at, st),
        ),
    ];
    if pr.has_mentor {
        facts.push((
            "Site mentor",
            agreement(&r.mentor_agreed_by_name, r.mentor_agreed_at, st),
        ));
    }
    if let (Some(at), Some(reason)) = (r.agreement_reset_at, &r.agreement_reset_reason) {
        facts.push((
            "Agreement reset",
            Cell::text(format!(
                "{} ({})",
                reason,
                st.clock.local(at).format("%a %-d %b %Y %H:%M %Z")
            )),
        ));
    }
    match &r.deliverable_status {
        Some(status) => {
            let mut text = format!(
                "{}: {}",
                r.deliverable_name.clone().unwrap_or_default(),
                status
            );
            if let Some(by) = &r.deliverable_reviewed_by_name {
                text.push_str(&format!(" by {by}"));
            }
            if let Some(note) = &r.deliverable_note {
                text.push_str(&format!(" — {note}"));
            }
            facts.push((
                "Deliverable",
                Cell::link(text, format!("/placements/{id}/project/deliverable")),
            ));
        }
        None => facts.push(("Deliverable", Cell::text("not uploaded yet"))),
    }
    let editable = pr.placement.status != "cancelled" && project::may_edit_plan(pr.party);
    let mut objectives = Table::new(
        "Learning objectives",
        vec!["Objective"],
        "No objective yet: the student proposes them.",
    );
    let mut milestones = Table::new(
        "Project milestones",
        vec!["Milestone", "Due", "Status"],
        "No milestone yet.",
    );
    if editable {
        objectives.headers.push("Change");
        milestones.headers.push("Change");
    }
    let change = |i: &ItemRow| {
        Cell::link(
            format!("Change \u{201c}{}\u{201d}", i.title),
            format!("/placements/{id}/project/items/{}", i.id),
        )
    };
    for i in pr.objectives() {
        let mut row = vec![Cell::text(&i.title)];
        if editable {
            row.push(change(i));
        }
        objectives.rows.push(row);
    }
    for i in pr.milestones() {
        let mut row = vec![
            Cell::text(&i.title),
            Cell::date(i.due_on),
            Cell::badge(status_words(&i.status), "info"),
        ];
        if editable {
            row.push(change(i));
        }
        milestones.rows.push(row);
    }
    let mut forms = vec![];
    let open = pr.placement.status != "cancelled";
    if open && project::may_agree(pr.party) {
        forms.push(ActionForm::new(
            format!("/placements/{id}/project/agree"),
            "Agree to the plan",
        ));
    }
    if open
        && project::may_review_deliverable(pr.party)
        && r.deliverable_status.as_deref() == Some("submitted")
    {
        forms.push(
            ActionForm::new(
                format!("/placements/{id}/project/deliverable/review"),
                "Accept the deliverable",
            )
            .with("outcome", "accepted"),
        );
        let back = ActionForm::new(
            format!("/placements/{id}/project/deliverable/review"),
            "Return the deliverable",
        )
        .with("outcome", "returned")
        .irreversible("Return the deliverable to the student with this note?");
        forms.push(back);
    }
    let upload = (open
        && project::may_upload_deliverable(pr.party)
        && r.deliverable_status.as_deref() != Some("accepted"))
    .then(|| UploadForm {
        action: format!("/placements/{id}/project/deliverable"),
        label: "Upload the final deliverable".into(),
        hint: format!(
            "A PDF of at most {}; a new upload replaces one not yet accepted.",
            upload::size_words(st.config.upload_limit)
        ),
        error: upload_error,
    });
    let actions = if editable {
        vec![(
            format!("/placements/{id}/project/items/new"),
            "Add an objective or milestone".to_string(),
        )]
    } else {
        vec![]
    };
    RecordPage {
        chrome: user.chrome("Internship project"),
        facts,
        actions,
        sections: vec![
            Section {
                title: "Learning objectives".into(),
                table: objectives,
                actions: vec![],
            },
            Section {
                title: "Milestones".into(),
                table: milestones,
                actions: vec![],
            },
        ],
        upload,
        forms,
    }
}

pub(super) async fn show(
    State(st): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
) -> PageResult {
    let id = id_of(&id)?;
    let pr = projects::get_project(&st, &user.p, &id).await?;
    Ok(page(&st, &user, pr, String::new()).await.into_response())
}

/// The placement page's link to the project, for its parties.
pub fn project_link(
    user: &PageUser,
    row: &crate::db::placements::PlacementRow,
) -> Option<(String, String)> {
    projects::is_party(&user.p, row).then(|| {
        (
            format!("/placements/{}/project", row.id),
            "Project: objectives, milestones, deliverable".to_string(),
        )
    })
}

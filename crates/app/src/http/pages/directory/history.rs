//! Every record's history: who changed it, when, from where, and what changed.
use crate::db;
use crate::domain::policy::{Action, Resource};
use crate::http::extract::{Params, parse_id};
use crate::http::pages::view::{Cell, Table};
use crate::http::pages::{ListPage, PageResult, PageUser, list_page, list_response, nf};
use crate::state::AppState;
use axum::extract::{Path, State};

/// "Expires: 30 Jun 2027 → 31 Dec 2027" for each top-level field that changed: fields and
/// values in words, dates as people write them, no raw JSON, no ids.
fn changes(before: &Option<serde_json::Value>, after: &Option<serde_json::Value>) -> String {
    let empty = serde_json::Map::new();
    let b = before
        .as_ref()
        .and_then(|v| v.as_object())
        .unwrap_or(&empty);
    let a = after.as_ref().and_then(|v| v.as_object()).unwrap_or(&empty);
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| {
            b.get(*k) != a.get(*k) && !matches!(k.as_str(), "id" | "created_at" | "updated_at")
        })
        .map(|k| {
            let name = field_word(k);
            if k.ends_with("_id") || k.ends_with("_ids") {
                // An id means nothing to a person: say that it changed.
                return if b.is_empty() {
                    format!("{name}: set")
                } else {
                    format!("{name}: changed")
                };
            }
            if b.is_empty() {
                format!("{name}: {}", value_word(a.get(k)))
            } else {
                format!(
                    "{name}: {} → {}",
                    value_word(b.get(k)),
                    value_word(a.get(k))
                )
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// `license_expires_on` → "License expires"; `expires_on` → "Expires"; `department_id` → "Department".
fn field_word(key: &str) -> String {
    let k = key
        .strip_suffix("_ids")
        .or_else(|| key.strip_suffix("_id"))
        .or_else(|| key.strip_suffix("_on"))
        .or_else(|| key.strip_suffix("_at"))
        .unwrap_or(key)
        .replace('_', " ");
    let mut c = k.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => k,
    }
}

fn value_word(v: Option<&serde_json::Value>) -> String {
    use serde_json::Value as V;
    match v {
        None | Some(V::Null) => "—".to_string(),
        Some(V::Bool(true)) => "yes".into(),
        Some(V::Bool(false)) => "no".into(),
        Some(V::String(s)) => match s.parse::<chrono::NaiveDate>() {
            Ok(d) => crate::http::pages::view::human_date(d),
            Err(_) => match s.parse::<chrono::DateTime<chrono::Utc>>() {
                Ok(t) => crate::http::pages::view::human_date(t.date_naive()),
                Err(_) if s.contains('_') && !s.contains(' ') => s.replace('_', " "),
                Err(_) => s.clone(),
            },
        },
        Some(V::Number(n)) => n.to_string(),
        Some(V::Array(items)) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            if items.is_empty() {
                "none".into()
            } else {
                items
                    .iter()
                    .map(|i| value_word(Some(i)))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        }
        Some(V::Array(items)) => format!("{} item(s)", items.len()),
        Some(V::Object(_)) => "changed".into(),
    }
}

/// The page of a record the audit trail names by its `record_type`, for the history's way
/// back; `None` for a kind of record with no page of its own (an evaluation's answers, a time
/// entry), which gets no link rather than one to a page that is not there.
fn record_page(kind: &str, id: &str) -> Option<String> {
    let path = match kind {
        "agreement" => "agreements",
        "department" => "departments",
        "evaluation" => "evaluations",
        "evaluation_template" => "evaluation-forms",
        "inquiry" => "inquiries",
        "placement" => "placements",
        "planning_run" => "planning/runs",
        // The record is a placement request; its page is the request's.
        "placement_request" => "requests",
        "program" => "programs",
        "requirement" => "requirements",
        "school" => "schools",
        "site" => "sites",
        "staff" => "staff",
        "student" => "students",
        "user" => "users",
        _ => return None,
    };
    Some(format!("/{path}/{id}"))
}

pub async fn history(
    State(st): State<AppState>,
    user: PageUser,
    Path((kind, raw_id)): Path<(String, String)>,
    params: Params,
) -> PageResult {
    user.p.authorize(Resource::Audit, Action::Read)?;
    let id = parse_id(&raw_id).ok_or_else(nf)?;
    let page = list_page(&params)?;
    let mut tx = st.db.read().await?;
    let events = db::audit::list(&mut tx, &Some(kind.clone()), &Some(id.clone()), &page).await?;
    let mut table = Table::new(
        format!(
            "History of this {}",
            crate::domain::words::record_type(&kind)
        ),
        vec!["When", "Who", "Action", "Changes", "From"],
        "No changes recorded.",
    );
    for e in &events.items {
        table.rows.push(vec![
            Cell {
                text: st
                    .clock
                    .local(e.at)
                    .format("%a %-d %b %Y %H:%M %Z")
                    .to_string(),
                csv: e.at.to_rfc3339(),
                ..Default::default()
            },
            Cell::text(&e.actor),
            Cell {
                csv: e.action.clone(),
                ..Cell::badge(e.action.replace([':', '_'], " "), "info")
            },
            Cell::text(changes(&e.before, &e.after)),
            Cell::text(e.ip.clone().unwrap_or_default()),
        ]);
    }
    let page = ListPage {
        chrome: user.chrome("History"),
        intro: "Every change to this record: who made it, when, from where, and what changed."
            .into(),
        filters: vec![],
        table,
        actions: record_page(&kind, &id)
            .map(|back| (back, "Back to the record".to_string()))
            .into_iter()
            .collect(),
        csv_href: String::new(),
        next_href: String::new(),
    };
    Ok(list_response(
        &user,
        &params,
        page,
        events.next_cursor,
        "history",
    ))
}

#[cfg(test)]
mod tests {
    use super::{changes, record_page};
    use serde_json::json;

    #[test]
    fn the_way_back_is_the_records_own_page() {
        assert_eq!(
            record_page("placement_request", "r1").as_deref(),
            Some("/requests/r1")
        );
        assert_eq!(record_page("staff", "s1").as_deref(), Some("/staff/s1"));
        assert_eq!(
            record_page("student", "s1").as_deref(),
            Some("/students/s1")
        );
        assert_eq!(record_page("time_entry", "t1"), None);
    }

    #[test]
    fn lists_only_what_changed() {
        let b = Some(json!({ "name": "A", "city": "X" }));
        let a = Some(json!({ "name": "B", "city": "X" }));
        assert_eq!(changes(&b, &a), "Name: A → B");
        assert_eq!(changes(&None, &Some(json!({ "name": "A" }))), "Name: A");
    }

    #[test]
    fn reads_like_the_office_writes() {
        let b = Some(
            json!({ "expires_on": "2027-06-30", "department_id": "0190-a", "discipline": "occupational_therapy", "is_preceptor": false }),
        );
        let a = Some(
            json!({ "expires_on": "2027-12-31", "department_id": "0190-b", "discipline": "radiography", "is_preceptor": true }),
        );
        assert_eq!(
            changes(&b, &a),
            "Department: changed; Discipline: occupational therapy → radiography; Expires: Wed 30 Jun 2027 → Fri 31 Dec 2027; Is preceptor: no → yes"
        );
    }
}

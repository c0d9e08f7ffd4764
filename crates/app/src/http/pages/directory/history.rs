//! Every record's history: who changed it, when, from where, and what changed.
use crate::db;
use crate::domain::policy::{Action, Resource};
use crate::http::extract::{Params, parse_id};
use crate::http::pages::view::{Cell, Table};
use crate::http::pages::{ListPage, PageResult, PageUser, list_page, list_response, nf};
use crate::state::AppState;
use axum::extract::{Path, State};

/// "name: A → B" for each top-level field that changed.
fn changes(before: &Option<serde_json::Value>, after: &Option<serde_json::Value>) -> String {
    let empty = serde_json::Map::new();
    let b = before
        .as_ref()
        .and_then(|v| v.as_object())
        .unwrap_or(&empty);
    let a = after.as_ref().and_then(|v| v.as_object()).unwrap_or(&empty);
    let show = |v: Option<&serde_json::Value>| match v {
        None | Some(serde_json::Value::Null) => "—".to_string(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
    };
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| b.get(*k) != a.get(*k))
        .map(|k| {
            if b.is_empty() {
                format!("{k}: {}", show(a.get(k)))
            } else {
                format!("{k}: {} → {}", show(b.get(k)), show(a.get(k)))
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
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
        format!("History of this {kind}"),
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
            Cell::badge(&e.action, "info"),
            Cell::text(changes(&e.before, &e.after)),
            Cell::text(e.ip.clone().unwrap_or_default()),
        ]);
    }
    let back = match kind.as_str() {
        "staff" => format!("/staff/{id}"),
        k => format!("/{k}s/{id}"),
    };
    let page = ListPage {
        chrome: user.chrome("History"),
        intro: "Every change to this record: who made it, when, from where, and what changed."
            .into(),
        filters: vec![],
        table,
        actions: vec![(back, "Back to the record".into())],
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
    use super::changes;
    use serde_json::json;

    #[test]
    fn lists_only_what_changed() {
        let b = Some(json!({ "name": "A", "city": "X" }));
        let a = Some(json!({ "name": "B", "city": "X" }));
        assert_eq!(changes(&b, &a), "name: A → B");
        assert_eq!(changes(&None, &Some(json!({ "name": "A" }))), "name: A");
    }
}

//! The audit trail: one row per write, in the same transaction as the write.
use super::{DbResult, Page, Paged, Tx, paged};
use crate::on_tx;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// Who did it and from where; built once per request.
#[derive(Clone, Debug)]
pub struct Actor {
    pub user_id: Option<String>,
    /// Name and email at the time, so the trail reads even after a user is gone.
    pub label: String,
    pub ip: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Clone, Debug, sqlx::FromRow)]
struct Row {
    id: String,
    at: DateTime<Utc>,
    actor_id: Option<String>,
    actor_label: String,
    action: String,
    record_type: String,
    record_id: String,
    before_json: Option<String>,
    after_json: Option<String>,
    ip: Option<String>,
}

#[derive(Clone, Debug)]
pub struct AuditEvent {
    pub id: String,
    pub at: DateTime<Utc>,
    pub actor_id: Option<String>,
    pub actor: String,
    pub action: String,
    pub record_type: String,
    pub record_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub ip: Option<String>,
}

impl From<Row> for AuditEvent {
    fn from(r: Row) -> Self {
        let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
        AuditEvent {
            id: r.id,
            at: r.at,
            actor_id: r.actor_id,
            actor: r.actor_label,
            action: r.action,
            record_type: r.record_type,
            record_id: r.record_id,
            before: parse(r.before_json),
            after: parse(r.after_json),
            ip: r.ip,
        }
    }
}

pub async fn record<B: Serialize, A: Serialize>(
    tx: &mut Tx,
    actor: &Actor,
    action: &str,
    record_type: &str,
    record_id: &str,
    before: Option<&B>,
    after: Option<&A>,
) -> DbResult<()> {
    let before = before.and_then(|b| serde_json::to_string(b).ok());
    let after = after.and_then(|a| serde_json::to_string(a).ok());
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO audit_events (id, at, actor_id, actor_label, action, record_type, record_id, before_json, after_json, ip)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
        .bind(super::new_id()).bind(actor.at).bind(&actor.user_id).bind(&actor.label).bind(action).bind(record_type)
        .bind(record_id).bind(before).bind(after).bind(&actor.ip).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn list(
    tx: &mut Tx,
    record_type: &Option<String>,
    record_id: &Option<String>,
    page: &Page,
) -> DbResult<Paged<AuditEvent>> {
    let rows: Vec<Row> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id, at, actor_id, actor_label, action, record_type, record_id, before_json, after_json, ip FROM audit_events
         WHERE id > $1 AND ($2 IS NULL OR record_type = $2) AND ($3 IS NULL OR record_id = $3) ORDER BY id LIMIT $4")
        .bind(page.after()).bind(record_type).bind(record_id).bind(page.fetch_limit()).fetch_all(c).await)?;
    let p = paged(rows, page, |r| &r.id);
    Ok(Paged {
        items: p.items.into_iter().map(AuditEvent::from).collect(),
        next_cursor: p.next_cursor,
    })
}

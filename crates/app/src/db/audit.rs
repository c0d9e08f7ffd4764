//! The audit trail: one row per write, in the same transaction as the write, each chained to
//! the one before by its hash (`domain::audit_chain`; the table refuses UPDATE and DELETE).
use super::{DbResult, Page, Paged, Tx, paged};
use crate::domain::audit_chain::{ChainEvent, GENESIS, chain_instant, event_hash};
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

/// Appends one event to the chain (`domain::audit_chain`): its place is one after the last
/// event's, its `prev_hash` that event's hash.
///
/// Appends are serialised so the chain cannot fork. On SQLite the write transaction already
/// holds the database's one write lock (`BEGIN IMMEDIATE`, `Db::write`). On PostgreSQL
/// [`lock_chain`] holds a transaction-scoped advisory lock, taken when the write transaction
/// begins (`Db::write`, so it is every writer's first lock and no two writers can wait on each
/// other in a cycle) and again here (returning at once) for any other transaction: a second
/// appender waits until the first commits or rolls back, then reads the new last event. A row
/// lock on the last event would not do: the event being appended is not there yet for the next
/// writer to wait on. The unique index on `seq` is the last guard: two appends at one place
/// cannot both commit.
pub async fn record<B: Serialize, A: Serialize>(
    tx: &mut Tx,
    actor: &Actor,
    action: &str,
    record_type: &str,
    record_id: &str,
    before: Option<&B>,
    after: Option<&A>,
) -> DbResult<()> {
    lock_chain(tx).await?;
    let (last_seq, prev_hash) = last_link(tx).await?;
    let seq = last_seq + 1;
    let mut e = ChainEvent {
        id: super::new_id(),
        seq: Some(seq),
        at: chain_instant(actor.at),
        actor_id: actor.user_id.clone(),
        actor_label: actor.label.clone(),
        action: action.to_string(),
        record_type: record_type.to_string(),
        record_id: record_id.to_string(),
        before_json: before.and_then(|b| serde_json::to_string(b).ok()),
        after_json: after.and_then(|a| serde_json::to_string(a).ok()),
        ip: actor.ip.clone(),
        prev_hash: None,
        hash: None,
    };
    e.hash = Some(event_hash(&e, seq, &prev_hash));
    e.prev_hash = Some(prev_hash);
    insert(tx, &e).await
}

async fn insert(tx: &mut Tx, e: &ChainEvent) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO audit_events (id, at, actor_id, actor_label, action, record_type, record_id, before_json, after_json, ip, seq, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)")
        .bind(&e.id).bind(e.at).bind(&e.actor_id).bind(&e.actor_label).bind(&e.action).bind(&e.record_type)
        .bind(&e.record_id).bind(&e.before_json).bind(&e.after_json).bind(&e.ip).bind(e.seq).bind(&e.prev_hash)
        .bind(&e.hash).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// The advisory lock key that serialises appends on PostgreSQL ("PRACAUDT" in ASCII).
const CHAIN_LOCK: i64 = 0x5052_4143_4155_4454;

/// Takes the chain's lock until the transaction ends (PostgreSQL; SQLite's write transaction
/// is already alone). Taken again in the same transaction it returns at once.
pub async fn lock_chain(tx: &mut Tx) -> DbResult<()> {
    if let Tx::Postgres(t) = tx {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(CHAIN_LOCK)
            .execute(&mut **t)
            .await?;
    }
    Ok(())
}

/// The last event's place and hash: `(0, GENESIS)` for an empty chain.
async fn last_link(tx: &mut Tx) -> DbResult<(i64, String)> {
    let last: Option<(i64, String)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT seq, hash FROM audit_events WHERE seq IS NOT NULL AND hash IS NOT NULL ORDER BY seq DESC LIMIT 1")
        .fetch_optional(c).await)?;
    Ok(last.unwrap_or((0, GENESIS.to_string())))
}

#[derive(sqlx::FromRow)]
struct ChainRow {
    id: String,
    seq: Option<i64>,
    at: DateTime<Utc>,
    actor_id: Option<String>,
    actor_label: String,
    action: String,
    record_type: String,
    record_id: String,
    before_json: Option<String>,
    after_json: Option<String>,
    ip: Option<String>,
    prev_hash: Option<String>,
    hash: Option<String>,
}

impl From<ChainRow> for ChainEvent {
    fn from(r: ChainRow) -> Self {
        ChainEvent {
            id: r.id,
            seq: r.seq,
            at: r.at,
            actor_id: r.actor_id,
            actor_label: r.actor_label,
            action: r.action,
            record_type: r.record_type,
            record_id: r.record_id,
            before_json: r.before_json,
            after_json: r.after_json,
            ip: r.ip,
            prev_hash: r.prev_hash,
            hash: r.hash,
        }
    }
}

const CHAIN_COLUMNS: &str = "id, seq, at, actor_id, actor_label, action, record_type, record_id, before_json, after_json, ip, prev_hash, hash";

/// Up to `limit` chained events after place `after_seq` (and, at that same place, after
/// `after_id`), in chain order: `seq`, then `id`.
pub async fn chain_page(
    tx: &mut Tx,
    after_seq: i64,
    after_id: &str,
    limit: i64,
) -> DbResult<Vec<ChainEvent>> {
    let sql = format!(
        "SELECT {CHAIN_COLUMNS} FROM audit_events WHERE seq IS NOT NULL
         AND (seq > $1 OR (seq = $1 AND id > $2)) ORDER BY seq, id LIMIT $3"
    );
    let rows: Vec<ChainRow> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(after_seq).bind(after_id).bind(limit).fetch_all(c).await)?;
    Ok(rows.into_iter().map(ChainEvent::from).collect())
}

/// The first event without a place in the chain, by id.
pub async fn first_unchained(tx: &mut Tx) -> DbResult<Option<ChainEvent>> {
    let sql = format!(
        "SELECT {CHAIN_COLUMNS} FROM audit_events WHERE seq IS NULL OR hash IS NULL OR prev_hash IS NULL
         ORDER BY id LIMIT 1"
    );
    let row: Option<ChainRow> =
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).fetch_optional(c).await)?;
    Ok(row.map(ChainEvent::from))
}

/// Chains the events written before the chain existed (migration 0013), in the order they
/// were written (by id: UUID v7). Only while no event is chained yet: once the chain has
/// begun, an unchained row is one that no append wrote, and `audit verify` names it rather
/// than this blessing it. Idempotent; returns how many events it chained.
pub async fn backfill(tx: &mut Tx) -> DbResult<u64> {
    lock_chain(tx).await?;
    let (last_seq, _) = last_link(tx).await?;
    if last_seq > 0 {
        return Ok(0);
    }
    let sql = format!("SELECT {CHAIN_COLUMNS} FROM audit_events ORDER BY id");
    let rows: Vec<ChainRow> =
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).fetch_all(c).await)?;
    let mut prev = GENESIS.to_string();
    let mut seq = 0;
    for r in rows {
        seq += 1;
        let e = ChainEvent::from(r);
        let hash = event_hash(&e, seq, &prev);
        on_tx!(tx, c => sqlx::query("UPDATE audit_events SET seq = $1, prev_hash = $2, hash = $3 WHERE id = $4")
            .bind(seq).bind(&prev).bind(&hash).bind(&e.id).execute(c).await.map(|r| r.rows_affected()))?;
        prev = hash;
    }
    Ok(seq as u64)
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

/// One creation among many written at once by [`record_created`].
pub struct Created<'a> {
    pub record_type: &'a str,
    pub record_id: &'a str,
    pub after_json: String,
}

/// One change for [`record_changes`]: an action on a record, with its state before and after
/// as JSON.
pub struct Change<'a> {
    pub action: &'a str,
    pub record_type: &'a str,
    pub record_id: &'a str,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
}

/// Appends a `create` event for each record, in order, chained as [`record`] chains one —
/// in multi-row inserts (the bulk import's thousands of rows).
pub async fn record_created(tx: &mut Tx, actor: &Actor, created: &[Created<'_>]) -> DbResult<()> {
    let changes: Vec<Change<'_>> = created
        .iter()
        .map(|c| Change {
            action: "create",
            record_type: c.record_type,
            record_id: c.record_id,
            before_json: None,
            after_json: Some(c.after_json.clone()),
        })
        .collect();
    record_changes(tx, actor, &changes).await
}

/// Appends an event for each change, in order, chained as [`record`] chains one — in
/// multi-row inserts (the bulk import's updates).
pub async fn record_changes(tx: &mut Tx, actor: &Actor, changes: &[Change<'_>]) -> DbResult<()> {
    if changes.is_empty() {
        return Ok(());
    }
    lock_chain(tx).await?;
    let (mut seq, mut prev_hash) = last_link(tx).await?;
    let mut events = Vec::with_capacity(changes.len());
    for c in changes {
        seq += 1;
        let mut e = ChainEvent {
            id: super::new_id(),
            seq: Some(seq),
            at: chain_instant(actor.at),
            actor_id: actor.user_id.clone(),
            actor_label: actor.label.clone(),
            action: c.action.to_string(),
            record_type: c.record_type.to_string(),
            record_id: c.record_id.to_string(),
            before_json: c.before_json.clone(),
            after_json: c.after_json.clone(),
            ip: actor.ip.clone(),
            prev_hash: None,
            hash: None,
        };
        let hash = event_hash(&e, seq, &prev_hash);
        e.prev_hash = Some(std::mem::replace(&mut prev_hash, hash.clone()));
        e.hash = Some(hash);
        events.push(e);
    }
    for chunk in events.chunks(400) {
        let sql = super::values_sql(
            "INSERT INTO audit_events (id, at, actor_id, actor_label, action, record_type, record_id, before_json, after_json, ip, seq, prev_hash, hash) VALUES ",
            chunk.len(),
            13,
        );
        on_tx!(tx, c => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
            for e in chunk {
                q = q.bind(&e.id).bind(e.at).bind(&e.actor_id).bind(&e.actor_label).bind(&e.action)
                    .bind(&e.record_type).bind(&e.record_id).bind(&e.before_json).bind(&e.after_json)
                    .bind(&e.ip).bind(e.seq).bind(&e.prev_hash).bind(&e.hash);
            }
            q.execute(c).await.map(|r| r.rows_affected())
        })?;
    }
    Ok(())
}

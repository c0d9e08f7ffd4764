//! Server-side sessions: the browser cookie and the API bearer token are the same row.
//! Only a SHA-256 of the token is stored, so a database dump does not hand out sessions; the
//! public `id` (shown in a person's list of sessions) is a separate random id, never the token.
use super::{DbResult, Tx};
use crate::domain::sign_in::Bucket;
use crate::on_tx;
use chrono::{DateTime, Utc};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SessionRow {
    pub id: String,
    pub user_id: String,
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub email: String,
    pub name: String,
    pub role: String,
    pub school_id: Option<String>,
    pub staff_id: Option<String>,
    pub student_id: Option<String>,
    pub department_id: Option<String>,
    /// The office's setting "two-step sign-in for office roles" (settings row).
    pub mfa_required_by_office: bool,
    /// Whether the user has a confirmed authenticator.
    pub mfa_enrolled: bool,
}

/// A session as its owner sees it in their list.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SessionInfo {
    pub id: String,
    pub token_hash: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// A session to store.
pub struct NewSession<'a> {
    pub id: &'a str,
    pub token_hash: &'a str,
    pub user_id: &'a str,
    pub csrf: &'a str,
    pub now: DateTime<Utc>,
    pub ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
}

pub async fn insert(tx: &mut Tx, s: &NewSession<'_>) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO sessions (id, token_hash, user_id, csrf_token, created_at, last_seen_at, ip, user_agent)
         VALUES ($1, $2, $3, $4, $5, $5, $6, $7)")
        .bind(s.id).bind(s.token_hash).bind(s.user_id).bind(s.csrf).bind(s.now).bind(s.ip).bind(s.user_agent)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Session rows read lately, so a busy session's requests do not each read the same row
/// ([`super::recent::Recent`]: used again while no write of this process has committed since
/// it was read — a sign-out, a revoked session, a disabled account, a changed role or setting
/// all commit one — and for at most [`SESSION_FRESH_FOR`]). Only rows that were found
/// are kept, keyed by the token's hash.
pub type SessionCache = super::recent::Recent<String, SessionRow>;

/// How long a session row read from the store may answer for it at most, whatever the watch
/// (`db::watch`) says.
pub const SESSION_FRESH_FOR: std::time::Duration = std::time::Duration::from_secs(30);
/// Most session rows kept at once.
pub const SESSIONS_KEPT: usize = 10_000;

/// The live session with this token, if its user is not disabled, with the two facts the
/// two-step sign-in gate needs, in one statement: every request reads this first, so it is
/// one round trip to the store, not three, and none while the row is in the store's
/// [`SessionCache`].
pub async fn find(db: &super::Db, token_hash: &str) -> DbResult<Option<SessionRow>> {
    // Read before the store is: a write committing while the row is read advances it, and
    // the row kept under the older count is then never used.
    let generation = db.write_generation();
    let key = token_hash.to_string();
    if let Some(row) = db.sessions().get(&key, generation) {
        return Ok(Some(row));
    }
    let row = find_in_store(db, token_hash).await?;
    if let Some(row) = &row {
        db.sessions().put(key, row.clone(), generation);
    }
    Ok(row)
}

async fn find_in_store(db: &super::Db, token_hash: &str) -> DbResult<Option<SessionRow>> {
    // One statement, straight from the pool: no BEGIN and ROLLBACK around it, which on
    // SQLite are two more hops to the connection's thread on every request.
    const SQL: &str = "SELECT s.id, s.user_id, s.csrf_token, s.created_at, s.last_seen_at, u.email, u.name, u.role, u.school_id,
                u.staff_id, u.student_id, st.department_id,
                COALESCE((SELECT x.require_mfa_for_office FROM settings x WHERE x.id = 1), FALSE) AS mfa_required_by_office,
                EXISTS (SELECT 1 FROM user_totp t WHERE t.user_id = u.id AND t.confirmed_at IS NOT NULL) AS mfa_enrolled
         FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN staff st ON st.id = u.staff_id
         WHERE s.token_hash = $1 AND u.disabled_at IS NULL";
    Ok(match db.pool() {
        super::Pool::Sqlite(p) => {
            sqlx::query_as(SQL)
                .bind(token_hash)
                .fetch_optional(p)
                .await?
        }
        super::Pool::Postgres(p) => {
            sqlx::query_as(SQL)
                .bind(token_hash)
                .fetch_optional(p)
                .await?
        }
    })
}

/// Moves the session's idle clock to `now` (`http::auth::touch_after`), in a write of its own.
pub async fn touch(db: &super::Db, token_hash: &str, now: DateTime<Utc>) -> DbResult<()> {
    // A counted write: the kept session rows (and every value kept under the write
    // generation) are dropped; keeping them across it would need telling this process's
    // commits from another's in the watch (`super::watch`), which sees every commit. What the
    // placements lists keep stays (`Db::placement_generation`): a session is none of a
    // placement's facts.
    let mut tx = db.write_leaving_placements().await?;
    on_tx!(&mut tx, c => sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1")
        .bind(token_hash).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete(tx: &mut Tx, token_hash: &str) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// A user's sessions, the most recently used first.
pub async fn list_for_user(tx: &mut Tx, user_id: &str) -> DbResult<Vec<SessionInfo>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT id, token_hash, created_at, last_seen_at, ip, user_agent FROM sessions
         WHERE user_id = $1 ORDER BY last_seen_at DESC, id")
        .bind(user_id).fetch_all(c).await)?)
}

/// Ends one of the user's sessions; answers how many ended (0: not theirs, or no such one).
pub async fn delete_for_user(tx: &mut Tx, user_id: &str, id: &str) -> DbResult<u64> {
    Ok(
        on_tx!(tx, c => sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id = $2")
        .bind(user_id).bind(id).execute(c).await.map(|r| r.rows_affected()))?,
    )
}

/// Ends every session of the user but the one with `keep` (its token hash), if given; answers
/// how many ended.
pub async fn delete_all_for_user(tx: &mut Tx, user_id: &str, keep: Option<&str>) -> DbResult<u64> {
    Ok(on_tx!(tx, c => sqlx::query(
        "DELETE FROM sessions WHERE user_id = $1 AND ($2 IS NULL OR token_hash <> $2)")
        .bind(user_id).bind(keep).execute(c).await.map(|r| r.rows_affected()))?)
}

/// Sign-in throttling: one leaky bucket per key (`account:<email>`, `address:<ip>`).
pub async fn throttle_get(tx: &mut Tx, key: &str) -> DbResult<Option<Bucket>> {
    let row: Option<(i64, DateTime<Utc>, Option<DateTime<Utc>>)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT failures, updated_at, locked_until FROM login_throttle WHERE key = $1")
        .bind(key).fetch_optional(c).await)?;
    Ok(row.map(|(failures, updated_at, locked_until)| Bucket {
        failures,
        updated_at,
        locked_until,
    }))
}

pub async fn throttle_set(tx: &mut Tx, key: &str, b: &Bucket) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO login_throttle (key, failures, updated_at, locked_until) VALUES ($1, $2, $3, $4)
         ON CONFLICT (key) DO UPDATE SET failures = $2, updated_at = $3, locked_until = $4")
        .bind(key).bind(b.failures).bind(b.updated_at).bind(b.locked_until).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn throttle_clear(tx: &mut Tx, key: &str) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM login_throttle WHERE key = $1").bind(key).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Forgets buckets untouched since `before` whose wait is over: a flood of made-up addresses
/// leaves no rows behind for long.
pub async fn throttle_prune(
    tx: &mut Tx,
    before: DateTime<Utc>,
    now: DateTime<Utc>,
) -> DbResult<u64> {
    Ok(on_tx!(tx, c => sqlx::query(
        "DELETE FROM login_throttle WHERE updated_at < $1 AND (locked_until IS NULL OR locked_until < $2)")
        .bind(before).bind(now).execute(c).await.map(|r| r.rows_affected()))?)
}

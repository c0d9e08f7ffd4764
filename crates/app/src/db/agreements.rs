use super::{DbResult, Page, Paged, Scope, Tx, paged};
use crate::on_tx;
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Agreement {
    pub id: String,
    pub school_id: String,
    /// `draft`, `active` or `terminated`.
    pub status: String,
    pub effective_on: NaiveDate,
    pub expires_on: NaiveDate,
    /// Discipline codes covered; empty = all.
    #[sqlx(skip)]
    pub disciplines: Vec<String>,
    pub note: Option<String>,
    /// The signed agreement, if uploaded: download at `/api/v1/agreements/{id}/document`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document_name: Option<String>,
    #[serde(skip)]
    pub document_sha256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document_size: Option<i64>,
    /// In a write's answer only, when there are any: the open placements depending on this
    /// record that are at risk after the write (API.md "Risks").
    #[sqlx(skip)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub affected_placements: Option<Vec<crate::domain::risk::AffectedPlacement>>,
}

#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub school_id: Option<String>,
    pub status: Option<String>,
    /// Active agreements expiring on or before this day (and not before `expiring_from`).
    pub expiring_by: Option<NaiveDate>,
    pub expiring_from: Option<NaiveDate>,
}

const COLS: &str = "id, school_id, status, effective_on, expires_on, note, document_name, document_sha256, document_size";

/// The list page's sortable columns (key, SQL expression).
const SORT_KEYS: &[(&str, &str)] = &[
    (
        "school",
        "(SELECT LOWER(x.name) FROM schools x WHERE x.id = agreements.school_id)",
    ),
    ("status", "status"),
    ("effective", "effective_on"),
    ("expires", "expires_on"),
];

pub async fn list(
    tx: &mut Tx,
    scope: &Scope,
    f: &Filter,
    page: &Page,
) -> DbResult<Paged<Agreement>> {
    if !matches!(scope, Scope::All | Scope::School(_)) {
        return Ok(Paged {
            items: vec![],
            next_cursor: None,
        });
    }
    let sql = format!(
        "SELECT {COLS} FROM agreements WHERE id > $1 AND ($2 IS NULL OR school_id = $2) AND ($3 IS NULL OR school_id = $3)
         AND ($4 IS NULL OR status = $4)
         AND ($5 IS NULL OR (status = 'active' AND expires_on <= $5 AND expires_on >= $6))
         {}",
        page.order_by(SORT_KEYS, 7)
    );
    let mut rows: Vec<Agreement> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(page.after()).bind(&f.school_id).bind(scope.school()).bind(&f.status)
        .bind(f.expiring_by).bind(f.expiring_from).bind(page.fetch_limit())
        .fetch_all(c).await)?;
    for a in &mut rows {
        a.disciplines = disciplines_of(tx, &a.id).await?;
    }
    Ok(paged(rows, page, |a| &a.id))
}

pub async fn of_school(tx: &mut Tx, school_id: &str) -> DbResult<Vec<Agreement>> {
    let sql = format!("SELECT {COLS} FROM agreements WHERE school_id = $1 ORDER BY effective_on");
    let mut rows: Vec<Agreement> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(school_id).fetch_all(c).await)?;
    for a in &mut rows {
        a.disciplines = disciplines_of(tx, &a.id).await?;
    }
    Ok(rows)
}

/// The agreements of these schools with their disciplines, in two queries; each school's in
/// the order of `of_school`.
pub async fn of_schools(tx: &mut Tx, school_ids: &[&str]) -> DbResult<Vec<Agreement>> {
    let mut rows: Vec<Agreement> = super::fetch_in(
        tx,
        &format!(
            "SELECT {COLS} FROM agreements WHERE school_id IN ({{ids}}) ORDER BY effective_on"
        ),
        school_ids,
    )
    .await?;
    let ids: Vec<&str> = rows.iter().map(|a| a.id.as_str()).collect();
    let covered: Vec<(String, String)> = super::fetch_in(
        tx,
        "SELECT agreement_id, discipline FROM agreement_disciplines WHERE agreement_id IN ({ids})
         ORDER BY agreement_id, discipline",
        &ids,
    )
    .await?;
    let mut covered = super::codes_by_id(covered);
    for a in &mut rows {
        a.disciplines = covered.remove(&a.id).unwrap_or_default();
    }
    Ok(rows)
}

pub async fn get(tx: &mut Tx, id: &str) -> DbResult<Option<Agreement>> {
    let sql = format!("SELECT {COLS} FROM agreements WHERE id = $1");
    let row: Option<Agreement> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(id).fetch_optional(c).await)?;
    match row {
        Some(mut a) => {
            a.disciplines = disciplines_of(tx, &a.id).await?;
            Ok(Some(a))
        }
        None => Ok(None),
    }
}

async fn disciplines_of(tx: &mut Tx, id: &str) -> DbResult<Vec<String>> {
    let rows: Vec<(String,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT discipline FROM agreement_disciplines WHERE agreement_id = $1 ORDER BY discipline")
        .bind(id).fetch_all(c).await)?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

pub async fn insert(tx: &mut Tx, a: &Agreement) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO agreements (id, school_id, status, effective_on, expires_on, note) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&a.id).bind(&a.school_id).bind(&a.status).bind(a.effective_on).bind(a.expires_on).bind(&a.note)
        .execute(c).await.map(|r| r.rows_affected()))?;
    set_disciplines(tx, &a.id, &a.disciplines).await
}

pub async fn update(tx: &mut Tx, a: &Agreement) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE agreements SET status = $2, effective_on = $3, expires_on = $4, note = $5 WHERE id = $1")
        .bind(&a.id).bind(&a.status).bind(a.effective_on).bind(a.expires_on).bind(&a.note)
        .execute(c).await.map(|r| r.rows_affected()))?;
    set_disciplines(tx, &a.id, &a.disciplines).await
}

pub async fn set_document(
    tx: &mut Tx,
    id: &str,
    name: &str,
    sha256: &str,
    size: i64,
) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE agreements SET document_name = $2, document_sha256 = $3, document_size = $4 WHERE id = $1")
        .bind(id).bind(name).bind(sha256).bind(size).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

async fn set_disciplines(tx: &mut Tx, id: &str, codes: &[String]) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM agreement_disciplines WHERE agreement_id = $1").bind(id).execute(c).await.map(|r| r.rows_affected()))?;
    for code in codes {
        on_tx!(tx, c => sqlx::query("INSERT INTO agreement_disciplines (agreement_id, discipline) VALUES ($1, $2)")
            .bind(id).bind(code).execute(c).await.map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// Active agreements expiring between `from` and `to` (both included), by expiry day;
/// without their disciplines (the reminder sweep needs none).
pub async fn active_expiring_between(
    tx: &mut Tx,
    from: NaiveDate,
    to: NaiveDate,
) -> DbResult<Vec<Agreement>> {
    let sql = format!(
        "SELECT {COLS} FROM agreements WHERE status = 'active' AND expires_on >= $1 AND expires_on <= $2
         ORDER BY expires_on, id"
    );
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(from).bind(to).fetch_all(c).await)?,
    )
}

use super::search::{self, Searchable};
use super::{DbResult, Page, Paged, Scope, Tx, like, paged};
use crate::on_tx;
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Program {
    pub id: String,
    pub school_id: String,
    /// A name the school uses, e.g. "BS in Radiologic Sciences".
    pub name: String,
    pub discipline: String,
    /// `certificate`, `associate`, `baccalaureate`, `masters`, `doctoral`.
    pub degree_level: String,
    pub accreditor: String,
    pub accredited_until: Option<NaiveDate>,
    /// In a write's answer only, when there are any: the open placements depending on this
    /// record that are at risk after the write (API.md "Risks").
    #[sqlx(skip)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub affected_placements: Option<Vec<crate::domain::risk::AffectedPlacement>>,
}

#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub school_id: Option<String>,
    pub discipline: Option<String>,
    pub degree_level: Option<String>,
    pub q: Option<String>,
    /// Accreditation ending between these days (inclusive), e.g. today and today + 90 (the
    /// list's `accreditation_ending_within`); programs without an end date never match.
    pub accreditation_ending: Option<(NaiveDate, NaiveDate)>,
}

const COLS: &str = "id, school_id, name, discipline, degree_level, accreditor, accredited_until";

/// The list page's sortable columns (key, SQL expression).
const SORT_KEYS: &[(&str, &str)] = &[
    ("name", "LOWER(name)"),
    (
        "school",
        "(SELECT LOWER(x.name) FROM schools x WHERE x.id = programs.school_id)",
    ),
    ("discipline", "discipline"),
    ("degree", "degree_level"),
    ("accreditor", "LOWER(accreditor)"),
    ("accredited", "accredited_until"),
];

pub async fn list(tx: &mut Tx, scope: &Scope, f: &Filter, page: &Page) -> DbResult<Paged<Program>> {
    if !matches!(scope, Scope::All | Scope::School(_)) {
        return Ok(Paged {
            items: vec![],
            next_cursor: None,
        });
    }
    let sql = format!(
        "SELECT {COLS} FROM programs WHERE id > $1 AND ($2 IS NULL OR school_id = $2) AND ($3 IS NULL OR school_id = $3)
         AND ($4 IS NULL OR discipline = $4) AND ($5 IS NULL OR degree_level = $5) AND ($6 IS NULL OR search LIKE $6 ESCAPE '\\')
         AND ($7 IS NULL OR (accredited_until IS NOT NULL AND accredited_until >= $7 AND accredited_until <= $8))
         {}",
        page.order_by(SORT_KEYS, 9)
    );
    let (ending_from, ending_to) = match f.accreditation_ending {
        Some((a, b)) => (Some(a), Some(b)),
        None => (None, None),
    };
    let rows: Vec<Program> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(page.after()).bind(&f.school_id).bind(scope.school()).bind(&f.discipline).bind(&f.degree_level)
        .bind(like(&f.q)).bind(ending_from).bind(ending_to).bind(page.fetch_limit())
        .fetch_all(c).await)?;
    Ok(paged(rows, page, |p| &p.id))
}

pub async fn names(tx: &mut Tx, school_id: Option<&str>) -> DbResult<Vec<(String, String)>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT p.id, s.name || ' — ' || p.name FROM programs p JOIN schools s ON s.id = p.school_id
         WHERE ($1 IS NULL OR p.school_id = $1) ORDER BY s.name, p.name")
        .bind(school_id).fetch_all(c).await)?)
}

pub async fn get(tx: &mut Tx, id: &str) -> DbResult<Option<Program>> {
    let sql = format!("SELECT {COLS} FROM programs WHERE id = $1");
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(id).fetch_optional(c).await)?,
    )
}

/// The programs with these ids (those that exist), in one query.
pub async fn get_many(tx: &mut Tx, ids: &[&str]) -> DbResult<Vec<Program>> {
    super::fetch_in(
        tx,
        &format!("SELECT {COLS} FROM programs WHERE id IN ({{ids}})"),
        ids,
    )
    .await
}

pub async fn insert(tx: &mut Tx, p: &Program) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO programs (id, school_id, name, discipline, degree_level, accreditor, accredited_until)
         VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(&p.id).bind(&p.school_id).bind(&p.name).bind(&p.discipline).bind(&p.degree_level)
        .bind(&p.accreditor).bind(p.accredited_until).execute(c).await.map(|r| r.rows_affected()))?;
    search::refresh(tx, Searchable::Programs, &p.id).await?;
    Ok(())
}

pub async fn update(tx: &mut Tx, p: &Program) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE programs SET name = $2, discipline = $3, degree_level = $4, accreditor = $5, accredited_until = $6 WHERE id = $1")
        .bind(&p.id).bind(&p.name).bind(&p.discipline).bind(&p.degree_level)
        .bind(&p.accreditor).bind(p.accredited_until).execute(c).await.map(|r| r.rows_affected()))?;
    search::refresh(tx, Searchable::Programs, &p.id).await?;
    Ok(())
}

/// Programs whose accreditation ends between `from` and `to` (both included), by end day.
pub async fn accreditation_ending_between(
    tx: &mut Tx,
    from: NaiveDate,
    to: NaiveDate,
) -> DbResult<Vec<Program>> {
    let sql = format!(
        "SELECT {COLS} FROM programs WHERE accredited_until >= $1 AND accredited_until <= $2
         ORDER BY accredited_until, id"
    );
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(from).bind(to).fetch_all(c).await)?,
    )
}

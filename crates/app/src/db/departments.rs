use super::search::{self, Searchable};
use super::{DbResult, Page, Paged, Scope, Tx, like, paged};
use crate::on_tx;
use serde::Serialize;

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Department {
    pub id: String,
    pub site_id: String,
    pub name: String,
    pub setting: String,
    pub capacity: i64,
    /// Discipline codes the department hosts.
    #[sqlx(skip)]
    pub disciplines: Vec<String>,
    /// In a write's answer only, when there are any: the open placements depending on this
    /// record that are at risk after the write (API.md "Risks").
    #[sqlx(skip)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub affected_placements: Option<Vec<crate::domain::risk::AffectedPlacement>>,
}

#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub q: Option<String>,
    pub site_id: Option<String>,
    pub discipline: Option<String>,
    pub setting: Option<String>,
}

const COLS: &str = "id, site_id, name, setting, capacity";

/// The list page's sortable columns (key, SQL expression).
const SORT_KEYS: &[(&str, &str)] = &[
    ("name", "LOWER(d.name)"),
    (
        "site",
        "(SELECT LOWER(t.name) FROM sites t WHERE t.id = d.site_id)",
    ),
    ("setting", "d.setting"),
    ("capacity", "d.capacity"),
];

pub async fn list(
    tx: &mut Tx,
    scope: &Scope,
    f: &Filter,
    page: &Page,
) -> DbResult<Paged<Department>> {
    if !matches!(scope, Scope::All | Scope::Department(_)) {
        return Ok(Paged {
            items: vec![],
            next_cursor: None,
        });
    }
    let sql = format!(
        "SELECT {COLS} FROM departments d WHERE id > $1 AND ($2 IS NULL OR d.search LIKE $2 ESCAPE '\\')
         AND ($3 IS NULL OR site_id = $3) AND ($4 IS NULL OR setting = $4) AND ($5 IS NULL OR id = $5)
         AND ($6 IS NULL OR EXISTS (SELECT 1 FROM department_disciplines x WHERE x.department_id = d.id AND x.discipline = $6))
         {}",
        page.order_by(SORT_KEYS, 7)
    );
    let mut rows: Vec<Department> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(page.after()).bind(like(&f.q)).bind(&f.site_id).bind(&f.setting).bind(scope.department())
        .bind(&f.discipline).bind(page.fetch_limit())
        .fetch_all(c).await)?;
    for d in &mut rows {
        d.disciplines = disciplines_of(tx, &d.id).await?;
    }
    Ok(paged(rows, page, |d| &d.id))
}

pub async fn get(tx: &mut Tx, id: &str) -> DbResult<Option<Department>> {
    let sql = format!("SELECT {COLS} FROM departments WHERE id = $1");
    let row: Option<Department> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(id).fetch_optional(c).await)?;
    match row {
        Some(mut d) => {
            d.disciplines = disciplines_of(tx, &d.id).await?;
            Ok(Some(d))
        }
        None => Ok(None),
    }
}

/// The departments with these ids (those that exist) with their disciplines, in two queries.
pub async fn get_many(tx: &mut Tx, ids: &[&str]) -> DbResult<Vec<Department>> {
    let mut rows: Vec<Department> = super::fetch_in(
        tx,
        &format!("SELECT {COLS} FROM departments WHERE id IN ({{ids}})"),
        ids,
    )
    .await?;
    let hosted: Vec<(String, String)> = super::fetch_in(
        tx,
        "SELECT department_id, discipline FROM department_disciplines WHERE department_id IN ({ids})
         ORDER BY department_id, discipline",
        ids,
    )
    .await?;
    let mut hosted = super::codes_by_id(hosted);
    for d in &mut rows {
        d.disciplines = hosted.remove(&d.id).unwrap_or_default();
    }
    Ok(rows)
}

pub async fn disciplines_of(tx: &mut Tx, id: &str) -> DbResult<Vec<String>> {
    let rows: Vec<(String,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT discipline FROM department_disciplines WHERE department_id = $1 ORDER BY discipline")
        .bind(id).fetch_all(c).await)?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

pub async fn insert(tx: &mut Tx, d: &Department) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("INSERT INTO departments (id, site_id, name, setting, capacity) VALUES ($1, $2, $3, $4, $5)")
        .bind(&d.id).bind(&d.site_id).bind(&d.name).bind(&d.setting).bind(d.capacity).execute(c).await.map(|r| r.rows_affected()))?;
    search::refresh(tx, Searchable::Departments, &d.id).await?;
    set_disciplines(tx, &d.id, &d.disciplines).await
}

pub async fn update(tx: &mut Tx, d: &Department) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("UPDATE departments SET site_id = $2, name = $3, setting = $4, capacity = $5 WHERE id = $1")
        .bind(&d.id).bind(&d.site_id).bind(&d.name).bind(&d.setting).bind(d.capacity).execute(c).await.map(|r| r.rows_affected()))?;
    search::refresh(tx, Searchable::Departments, &d.id).await?;
    set_disciplines(tx, &d.id, &d.disciplines).await
}

async fn set_disciplines(tx: &mut Tx, id: &str, codes: &[String]) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM department_disciplines WHERE department_id = $1").bind(id).execute(c).await.map(|r| r.rows_affected()))?;
    for code in codes {
        on_tx!(tx, c => sqlx::query("INSERT INTO department_disciplines (department_id, discipline) VALUES ($1, $2)")
            .bind(id).bind(code).execute(c).await.map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// Departments hosting `discipline`, with their site, for the school-facing placement options.
pub async fn hosting(
    tx: &mut Tx,
    discipline: &str,
) -> DbResult<Vec<(String, String, String, String, String)>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT s.id, s.name, d.id, d.name, d.setting FROM departments d JOIN sites s ON s.id = d.site_id
         JOIN department_disciplines x ON x.department_id = d.id WHERE x.discipline = $1 ORDER BY s.name, d.name")
        .bind(discipline).fetch_all(c).await)?)
}

pub async fn all_names(tx: &mut Tx) -> DbResult<Vec<(String, String)>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT d.id, s.name || ' — ' || d.name FROM departments d JOIN sites s ON s.id = d.site_id ORDER BY s.name, d.name")
        .fetch_all(c).await)?)
}

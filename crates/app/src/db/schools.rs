use super::search::{self, Searchable};
use super::{DbResult, Page, Paged, Scope, Tx, like, paged};
use crate::on_tx;
use serde::Serialize;

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct School {
    pub id: String,
    pub name: String,
    pub city: String,
    pub state: String,
}

pub async fn list(
    tx: &mut Tx,
    scope: &Scope,
    q: &Option<String>,
    page: &Page,
) -> DbResult<Paged<School>> {
    if !matches!(scope, Scope::All | Scope::School(_)) {
        return Ok(Paged {
            items: vec![],
            next_cursor: None,
        });
    }
    let sql = format!(
        "SELECT id, name, city, state FROM schools WHERE id > $1 AND ($2 IS NULL OR search LIKE $2 ESCAPE '\\')
         AND ($3 IS NULL OR id = $3) {}",
        page.order_by(
            &[("name", "LOWER(name)"), ("city", "LOWER(city)"), ("state", "state")],
            4
        )
    );
    let rows: Vec<School> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(page.after()).bind(like(q)).bind(scope.school()).bind(page.fetch_limit())
        .fetch_all(c).await)?;
    Ok(paged(rows, page, |s| &s.id))
}

pub async fn all_names(tx: &mut Tx) -> DbResult<Vec<(String, String)>> {
    Ok(
        on_tx!(tx, c => sqlx::query_as("SELECT id, name FROM schools ORDER BY name").fetch_all(c).await)?,
    )
}

pub async fn get(tx: &mut Tx, id: &str) -> DbResult<Option<School>> {
    Ok(
        on_tx!(tx, c => sqlx::query_as("SELECT id, name, city, state FROM schools WHERE id = $1")
        .bind(id).fetch_optional(c).await)?,
    )
}

pub async fn insert(tx: &mut Tx, s: &School) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("INSERT INTO schools (id, name, city, state) VALUES ($1, $2, $3, $4)")
        .bind(&s.id).bind(&s.name).bind(&s.city).bind(&s.state).execute(c).await.map(|r| r.rows_affected()))?;
    search::refresh(tx, Searchable::Schools, &s.id).await?;
    Ok(())
}

pub async fn update(tx: &mut Tx, s: &School) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("UPDATE schools SET name = $2, city = $3, state = $4 WHERE id = $1")
        .bind(&s.id).bind(&s.name).bind(&s.city).bind(&s.state).execute(c).await.map(|r| r.rows_affected()))?;
    search::refresh(tx, Searchable::Schools, &s.id).await?;
    Ok(())
}

use super::search::{self, Searchable};
use super::{DbResult, Page, Paged, Tx, like, paged};
use crate::on_tx;
use serde::Serialize;

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Site {
    pub id: String,
    pub name: String,
    /// Street address, as written on a letter.
    pub address: Option<String>,
    /// What a student needs on arrival: parking, badge pick-up, whom to ask for.
    pub arrival_notes: Option<String>,
}

const COLS: &str = "id, name, address, arrival_notes";

pub async fn list(tx: &mut Tx, page: &Page, q: &Option<String>) -> DbResult<Paged<Site>> {
    let sql = format!(
        "SELECT {COLS} FROM sites WHERE id > $1 AND ($2 IS NULL OR search LIKE $2 ESCAPE '\\') {}",
        page.order_by(&[("name", "LOWER(name)")], 3)
    );
    let rows: Vec<Site> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(page.after()).bind(like(q)).bind(page.fetch_limit())
        .fetch_all(c).await)?;
    Ok(paged(rows, page, |s| &s.id))
}

pub async fn all(tx: &mut Tx) -> DbResult<Vec<Site>> {
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLS} FROM sites ORDER BY name"))).fetch_all(c).await)?,
    )
}

pub async fn get(tx: &mut Tx, id: &str) -> DbResult<Option<Site>> {
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLS} FROM sites WHERE id = $1"))).bind(id).fetch_optional(c).await)?,
    )
}

pub async fn insert(tx: &mut Tx, s: &Site) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("INSERT INTO sites (id, name, address, arrival_notes) VALUES ($1, $2, $3, $4)").bind(&s.id).bind(&s.name).bind(&s.address).bind(&s.arrival_notes).execute(c).await.map(|r| r.rows_affected()))?;
    search::refresh(tx, Searchable::Sites, &s.id).await?;
    Ok(())
}

pub async fn update(tx: &mut Tx, s: &Site) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("UPDATE sites SET name = $2, address = $3, arrival_notes = $4 WHERE id = $1").bind(&s.id).bind(&s.name).bind(&s.address).bind(&s.arrival_notes).execute(c).await.map(|r| r.rows_affected()))?;
    search::refresh(tx, Searchable::Sites, &s.id).await?;
    Ok(())
}

use super::{DbResult, Tx};
use crate::on_tx;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Discipline {
    pub code: String,
    pub name: String,
    pub clinical: bool,
    pub accreditor: String,
}

pub async fn all(tx: &mut Tx) -> DbResult<Vec<Discipline>> {
    Ok(
        on_tx!(tx, c => sqlx::query_as("SELECT code, name, clinical, accreditor FROM disciplines ORDER BY name")
        .fetch_all(c).await)?,
    )
}

pub async fn get(tx: &mut Tx, code: &str) -> DbResult<Option<Discipline>> {
    Ok(
        on_tx!(tx, c => sqlx::query_as("SELECT code, name, clinical, accreditor FROM disciplines WHERE code = $1")
        .bind(code).fetch_optional(c).await)?,
    )
}

/// Adds any catalog entry that is missing; never overwrites the office's edits.
pub async fn seed_catalog(tx: &mut Tx) -> DbResult<()> {
    for (code, name, clinical, accreditor) in crate::domain::catalog::DISCIPLINES {
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO disciplines (code, name, clinical, accreditor) VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO NOTHING")
            .bind(code).bind(name).bind(clinical).bind(accreditor).execute(c).await.map(|r| r.rows_affected()))?;
    }
    Ok(())
}

//! Certificates of completion: one per completed placement, its words kept as issued.
use super::{DbResult, Tx};
use crate::on_tx;
use chrono::{DateTime, Utc};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CertificateRow {
    pub id: String,
    pub placement_id: String,
    pub issued_at: DateTime<Utc>,
    /// `service::certificates::Certificate` as JSON.
    pub details_json: String,
}

pub async fn insert(tx: &mut Tx, c: &CertificateRow) -> DbResult<()> {
    on_tx!(tx, c2 => sqlx::query(
        "INSERT INTO certificates (id, placement_id, issued_at, details_json) VALUES ($1, $2, $3, $4)")
        .bind(&c.id).bind(&c.placement_id).bind(c.issued_at).bind(&c.details_json)
        .execute(c2).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn get(tx: &mut Tx, id: &str) -> DbResult<Option<CertificateRow>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT id, placement_id, issued_at, details_json FROM certificates WHERE id = $1")
        .bind(id).fetch_optional(c).await)?)
}

pub async fn of_placement(tx: &mut Tx, placement_id: &str) -> DbResult<Option<CertificateRow>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT id, placement_id, issued_at, details_json FROM certificates WHERE placement_id = $1")
        .bind(placement_id).fetch_optional(c).await)?)
}

//! Requirement rules, stored as data the office edits.
use super::{DbResult, Tx};
use crate::domain::requirements::{AppliesTo, Validity};
use crate::on_tx;
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct Requirement {
    pub id: String,
    pub code: String,
    pub name: String,
    /// immunization, test, certification, background, training, attestation, provisioning
    pub category: String,
    /// student_upload, school_attestation, office_action, signed_in_system
    pub satisfied_by: String,
    pub validity: Validity,
    pub applies_to: AppliesTo,
    pub active: bool,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    code: String,
    name: String,
    category: String,
    satisfied_by: String,
    validity_json: String,
    applies_to_json: String,
    active: bool,
}

impl TryFrom<Row> for Requirement {
    type Error = sqlx::Error;
    fn try_from(r: Row) -> Result<Self, sqlx::Error> {
        let bad = |e: serde_json::Error| sqlx::Error::Decode(Box::new(e));
        Ok(Requirement {
            validity: serde_json::from_str(&r.validity_json).map_err(bad)?,
            applies_to: serde_json::from_str(&r.applies_to_json).map_err(bad)?,
            id: r.id,
            code: r.code,
            name: r.name,
            category: r.category,
            satisfied_by: r.satisfied_by,
            active: r.active,
        })
    }
}

const COLS: &str = "id, code, name, category, satisfied_by, validity_json, applies_to_json, active";

pub async fn all(tx: &mut Tx) -> DbResult<Vec<Requirement>> {
    let sql = format!("SELECT {COLS} FROM requirements ORDER BY category, name");
    let rows: Vec<Row> =
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).fetch_all(c).await)?;
    Ok(rows
        .into_iter()
        .map(Requirement::try_from)
        .collect::<Result<_, _>>()?)
}

pub async fn get(tx: &mut Tx, id: &str) -> DbResult<Option<Requirement>> {
    let sql = format!("SELECT {COLS} FROM requirements WHERE id = $1");
    let row: Option<Row> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(id).fetch_optional(c).await)?;
    Ok(row.map(Requirement::try_from).transpose()?)
}

pub async fn by_code(tx: &mut Tx, code: &str) -> DbResult<Option<Requirement>> {
    let sql = format!("SELECT {COLS} FROM requirements WHERE code = $1");
    let row: Option<Row> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(code).fetch_optional(c).await)?;
    Ok(row.map(Requirement::try_from).transpose()?)
}

pub async fn insert(tx: &mut Tx, r: &Requirement) -> DbResult<()> {
    let sql = format!("INSERT INTO requirements ({COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
    let v = serde_json::to_string(&r.validity).unwrap_or_default();
    let a = serde_json::to_string(&r.applies_to).unwrap_or_default();
    on_tx!(tx, c => sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(&r.id).bind(&r.code).bind(&r.name).bind(&r.category).bind(&r.satisfied_by).bind(&v).bind(&a).bind(r.active)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn update(tx: &mut Tx, r: &Requirement) -> DbResult<()> {
    let v = serde_json::to_string(&r.validity).unwrap_or_default();
    let a = serde_json::to_string(&r.applies_to).unwrap_or_default();
    on_tx!(tx, c => sqlx::query(
        "UPDATE requirements SET name = $2, category = $3, satisfied_by = $4, validity_json = $5, applies_to_json = $6, active = $7
         WHERE id = $1")
        .bind(&r.id).bind(&r.name).bind(&r.category).bind(&r.satisfied_by).bind(&v).bind(&a).bind(r.active)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Adds any catalog requirement that is missing; never overwrites the office's edits.
pub async fn seed_catalog(tx: &mut Tx) -> DbResult<()> {
    for e in crate::domain::requirements::catalog() {
        if by_code(tx, e.code).await?.is_some() {
            continue;
        }
        let r = Requirement {
            id: super::new_id(),
            code: e.code.into(),
            name: e.name.into(),
            category: e.category.into(),
            satisfied_by: e.satisfied_by.into(),
            validity: e.validity,
            applies_to: AppliesTo {
                kinds: e.kinds.iter().map(|k| k.to_string()).collect(),
                ..Default::default()
            },
            active: true,
        };
        insert(tx, &r).await?;
    }
    Ok(())
}

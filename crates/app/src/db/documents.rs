//! Students' evidence: uploads, school attestations, signatures in the system, and the office's
//! provisioning ticks.
use super::{DbResult, Page, Paged, Tx, paged};
use crate::on_tx;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Document {
    pub id: String,
    pub student_id: String,
    pub requirement_code: String,
    pub placement_id: Option<String>,
    pub completed_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    /// submitted, verified, rejected
    pub status: String,
    /// upload, attestation, signature, office
    pub source: String,
    #[serde(skip)]
    pub file_sha256: Option<String>,
    pub file_name: Option<String>,
    pub file_mime: Option<String>,
    pub file_size: Option<i64>,
    pub submitted_by: Option<String>,
    pub submitted_at: DateTime<Utc>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub review_note: Option<String>,
    pub signer_name: Option<String>,
    #[serde(skip)]
    pub signer_ip: Option<String>,
    /// For a signature in the system: the version of the agreement's text that was signed.
    pub signed_text_version: Option<i64>,
}

const COLS: &str = "id, student_id, requirement_code, placement_id, completed_on, expires_on, status, source, file_sha256, file_name,
    file_mime, file_size, submitted_by, submitted_at, reviewed_by, reviewed_at, review_note, signer_name, signer_ip, signed_text_version";

pub async fn insert(tx: &mut Tx, d: &Document) -> DbResult<()> {
    let sql = format!(
        "INSERT INTO documents ({COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)"
    );
    on_tx!(tx, c => sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(&d.id).bind(&d.student_id).bind(&d.requirement_code).bind(&d.placement_id).bind(d.completed_on).bind(d.expires_on)
        .bind(&d.status).bind(&d.source).bind(&d.file_sha256).bind(&d.file_name).bind(&d.file_mime).bind(d.file_size)
        .bind(&d.submitted_by).bind(d.submitted_at).bind(&d.reviewed_by).bind(d.reviewed_at).bind(&d.review_note)
        .bind(&d.signer_name).bind(&d.signer_ip).bind(d.signed_text_version)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Every document that has a stored file, oldest first (for the check of missing files).
pub async fn with_files(tx: &mut Tx) -> DbResult<Vec<Document>> {
    let sql = format!("SELECT {COLS} FROM documents WHERE file_sha256 IS NOT NULL ORDER BY id");
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).fetch_all(c).await)?)
}

pub async fn get(tx: &mut Tx, id: &str) -> DbResult<Option<Document>> {
    let sql = format!("SELECT {COLS} FROM documents WHERE id = $1");
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(id).fetch_optional(c).await)?,
    )
}

pub async fn of_student(tx: &mut Tx, student_id: &str) -> DbResult<Vec<Document>> {
    let sql = format!("SELECT {COLS} FROM documents WHERE student_id = $1 ORDER BY id");
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(student_id).fetch_all(c).await)?,
    )
}

/// A document as evidence toward a requirement: what a placement's clearance reads of it
/// (`domain::clearance::Evidence`), six columns of a [`Document`]'s twenty, for the
/// thousands a page of placements reads.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct EvidenceRow {
    pub student_id: String,
    pub requirement_code: String,
    pub placement_id: Option<String>,
    pub completed_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    /// submitted, verified, rejected
    pub status: String,
}

/// Every document of these students as evidence, in one query, each student's in the order
/// of `of_student` (by id).
pub async fn evidence_of_students(tx: &mut Tx, student_ids: &[&str]) -> DbResult<Vec<EvidenceRow>> {
    super::fetch_in(
        tx,
        "SELECT student_id, requirement_code, placement_id, completed_on, expires_on, status
         FROM documents WHERE student_id IN ({ids}) ORDER BY id",
        student_ids,
    )
    .await
}

/// A school reads a document of a student enrolled there now (whenever it was submitted: the
/// receiving school of a transfer needs the evidence that came with the student), or of one
/// who left, submitted while they were there (issue 12 point 4). `e` is the school's
/// enrollment, `d` the document.
const SCHOOL_READS: &str = "e.student_id = d.student_id
    AND (e.ended_at IS NULL OR (d.submitted_at >= e.started_at AND d.submitted_at <= e.ended_at))";

/// The review queue: oldest first, optionally one requirement or one school.
pub async fn list(
    tx: &mut Tx,
    status: &Option<String>,
    requirement: &Option<String>,
    school_id: &Option<String>,
    page: &Page,
) -> DbResult<Paged<Document>> {
    let sql = list_statement(COLS);
    let rows: Vec<Document> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(page.after()).bind(status).bind(requirement).bind(school_id).bind(page.fetch_limit()).fetch_all(c).await)?;
    Ok(paged(rows, page, |d| &d.id))
}

/// [`list`]'s page as each document's id and row tag (`documents.row_tag`, migration 0033:
/// replaced by any write to the row), in the page's order; [`tagged`] reads the rest.
pub async fn list_tags(
    tx: &mut Tx,
    status: &Option<String>,
    requirement: &Option<String>,
    school_id: &Option<String>,
    page: &Page,
) -> DbResult<Paged<(String, Option<i64>)>> {
    let sql = list_statement("id, row_tag");
    let rows = crate::page_tags!(tx, sql.as_str(), q => q
        .bind(page.after()).bind(status).bind(requirement).bind(school_id).bind(page.fetch_limit()))?;
    Ok(paged(rows, page, |(id, _)| id))
}

/// The documents with these ids, each with its row tag (see [`list_tags`]), in no order; an
/// id with no document is left out.
pub async fn tagged(tx: &mut Tx, ids: &[&str]) -> DbResult<Vec<(Document, i64)>> {
    let rows: Vec<Tagged> = super::fetch_in(
        tx,
        &format!("SELECT {COLS}, row_tag FROM documents WHERE id IN ({{ids}})"),
        ids,
    )
    .await?;
    Ok(rows.into_iter().map(|t| (t.document, t.row_tag)).collect())
}

/// A document read with its row tag.
#[derive(sqlx::FromRow)]
struct Tagged {
    #[sqlx(flatten)]
    document: Document,
    row_tag: i64,
}

/// The review queue's statement selecting `columns`: `$1` the cursor, `$2` the status, `$3`
/// the requirement, `$4` the school, `$5` the limit.
fn list_statement(columns: &str) -> String {
    format!(
        "SELECT {columns} FROM documents d WHERE id > $1 AND ($2 IS NULL OR status = $2) AND ($3 IS NULL OR requirement_code = $3)
         AND ($4 IS NULL OR EXISTS (SELECT 1 FROM enrollments e WHERE {SCHOOL_READS} AND e.school_id = $4))
         ORDER BY id LIMIT $5"
    )
}

pub async fn review(
    tx: &mut Tx,
    id: &str,
    status: &str,
    by: &str,
    at: DateTime<Utc>,
    note: Option<&str>,
) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("UPDATE documents SET status = $2, reviewed_by = $3, reviewed_at = $4, review_note = $5 WHERE id = $1")
        .bind(id).bind(status).bind(by).bind(at).bind(note).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Attestations recorded for the students of a school (every school for `None`), newest
/// first: (student name, requirement code, completed on, expires on, who attested, when).
#[allow(clippy::type_complexity)]
pub async fn attestations(
    tx: &mut Tx,
    school_id: Option<&str>,
    limit: i64,
) -> DbResult<
    Vec<(
        String,
        String,
        chrono::NaiveDate,
        Option<chrono::NaiveDate>,
        Option<String>,
        chrono::DateTime<chrono::Utc>,
    )>,
> {
    let sql = format!(
        "SELECT s.first_name || ' ' || s.last_name, d.requirement_code, d.completed_on, d.expires_on, u.name, d.submitted_at
         FROM documents d JOIN students s ON s.id = d.student_id LEFT JOIN users u ON u.id = d.submitted_by
         WHERE d.source = 'attestation'
           AND ($1 IS NULL OR EXISTS (SELECT 1 FROM enrollments e WHERE {SCHOOL_READS} AND e.school_id = $1))
         ORDER BY d.submitted_at DESC, d.id DESC LIMIT $2"
    );
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(school_id).bind(limit).fetch_all(c).await)?,
    )
}

/// Documents students uploaded in `(since, until]`, oldest first: (student name,
/// requirement name, when).
pub async fn uploaded_between(
    tx: &mut Tx,
    since: chrono::DateTime<chrono::Utc>,
    until: chrono::DateTime<chrono::Utc>,
) -> DbResult<Vec<(String, String, chrono::DateTime<chrono::Utc>)>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT s.first_name || ' ' || s.last_name, COALESCE(r.name, d.requirement_code), d.submitted_at
         FROM documents d JOIN students s ON s.id = d.student_id
         LEFT JOIN requirements r ON r.code = d.requirement_code
         WHERE d.source = 'upload' AND d.submitted_at > $1 AND d.submitted_at <= $2
         ORDER BY d.submitted_at, d.id")
        .bind(since).bind(until).fetch_all(c).await)?)
}

/// Records which version of the agreement's text a signature signed.
pub async fn set_signed_text_version(tx: &mut Tx, id: &str, version: i64) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("UPDATE documents SET signed_text_version = $2 WHERE id = $1")
        .bind(id).bind(version).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

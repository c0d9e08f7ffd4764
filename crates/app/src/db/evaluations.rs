//! Evaluation templates, evaluations and their replaced versions (migration 0021).
use super::{DbResult, Tx};
use crate::domain::evaluation::{self, Answers, Form};
use crate::on_tx;
use chrono::{DateTime, Utc};

#[derive(Clone, Debug, sqlx::FromRow, serde::Serialize)]
pub struct TemplateRow {
    pub id: String,
    pub family_id: String,
    pub version: i64,
    pub name: String,
    pub kind: String,
    pub discipline: Option<String>,
    pub point: String,
    pub form_json: String,
    pub is_current: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl TemplateRow {
    /// The stored form (written by this code from a checked one; an unreadable one is empty).
    pub fn form(&self) -> Form {
        serde_json::from_str(&self.form_json).unwrap_or(Form { sections: vec![] })
    }
}

const TCOLS: &str = "id, family_id, version, name, kind, discipline, point, form_json, is_current, created_at, updated_at";

/// The current version of every template (`all_versions`: every version), by kind and point.
pub async fn list_templates(tx: &mut Tx, all_versions: bool) -> DbResult<Vec<TemplateRow>> {
    let sql = format!(
        "SELECT {TCOLS} FROM evaluation_templates WHERE ($1 OR is_current)
         ORDER BY kind, CASE point WHEN 'midterm' THEN 0 WHEN 'final' THEN 1 ELSE 2 END, name, version"
    );
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(all_versions).fetch_all(c).await)?,
    )
}

pub async fn get_template(tx: &mut Tx, id: &str) -> DbResult<Option<TemplateRow>> {
    let sql = format!("SELECT {TCOLS} FROM evaluation_templates WHERE id = $1");
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(id).fetch_optional(c).await)?,
    )
}

/// The current template for a placement's kind, discipline and point: the discipline's own
/// if there is one, else the kind's general one.
pub async fn applicable(
    tx: &mut Tx,
    kind: &str,
    discipline: &str,
    point: &str,
) -> DbResult<Option<TemplateRow>> {
    let sql = format!(
        "SELECT {TCOLS} FROM evaluation_templates
         WHERE is_current AND kind = $1 AND point = $3 AND (discipline = $2 OR discipline IS NULL)
         ORDER BY CASE WHEN discipline IS NULL THEN 1 ELSE 0 END, created_at DESC, id LIMIT 1"
    );
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(kind).bind(discipline).bind(point).fetch_optional(c).await)?,
    )
}

pub async fn insert_template(tx: &mut Tx, t: &TemplateRow) -> DbResult<()> {
    let sql = format!(
        "INSERT INTO evaluation_templates ({TCOLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    );
    on_tx!(tx, c => sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(&t.id).bind(&t.family_id).bind(t.version).bind(&t.name).bind(&t.kind).bind(&t.discipline)
        .bind(&t.point).bind(&t.form_json).bind(t.is_current).bind(t.created_at).bind(t.updated_at)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Writes a version in place (only while no evaluation points at it) or retires it.
pub async fn update_template(tx: &mut Tx, t: &TemplateRow) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE evaluation_templates SET name = $2, kind = $3, discipline = $4, point = $5, form_json = $6,
         is_current = $7, updated_at = $8 WHERE id = $1")
        .bind(&t.id).bind(&t.name).bind(&t.kind).bind(&t.discipline).bind(&t.point).bind(&t.form_json)
        .bind(t.is_current).bind(t.updated_at)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Whether any evaluation (current or replaced version) was filled on this template version.
pub async fn template_in_use(tx: &mut Tx, template_id: &str) -> DbResult<bool> {
    let n: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM evaluations WHERE template_id = $1)
              + (SELECT COUNT(*) FROM evaluation_versions WHERE template_id = $1)")
        .bind(template_id).fetch_one(c).await)?;
    Ok(n > 0)
}

/// Writes the default forms once, into a database that has no template at all.
pub async fn seed_defaults(tx: &mut Tx, now: DateTime<Utc>) -> DbResult<usize> {
    let n: i64 = on_tx!(tx, c => sqlx::query_scalar("SELECT COUNT(*) FROM evaluation_templates")
        .fetch_one(c).await)?;
    if n > 0 {
        return Ok(0);
    }
    let defaults = evaluation::default_templates();
    for (name, kind, point, form) in &defaults {
        let id = super::new_id();
        insert_template(
            tx,
            &TemplateRow {
                id: id.clone(),
                family_id: id,
                version: 1,
                name: name.clone(),
                kind: (*kind).to_string(),
                discipline: None,
                point: point.as_str().into(),
                form_json: serde_json::to_string(form).unwrap_or_default(),
                is_current: true,
                created_at: now,
                updated_at: now,
            },
        )
        .await?;
    }
    Ok(defaults.len())
}

#[derive(Clone, Debug, sqlx::FromRow, serde::Serialize)]
pub struct EvaluationRow {
    pub id: String,
    pub placement_id: String,
    pub point: String,
    pub template_id: String,
    pub version: i64,
    pub status: String,
    pub answers_json: String,
    pub mentor_comment: Option<String>,
    pub author_user_id: String,
    pub signed_by_user_id: Option<String>,
    pub signed_by_name: Option<String>,
    pub signed_at: Option<DateTime<Utc>>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub student_comment: Option<String>,
    pub correction_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Stored answers (`answers_json`, written from [`Answers`] only) read back; a text that is
/// not such JSON, which only a hand edit of the store could leave, reads as no answers.
pub fn stored_answers(answers_json: &str) -> Answers {
    serde_json::from_str(answers_json).unwrap_or_default()
}

impl EvaluationRow {
    pub fn answers(&self) -> Answers {
        stored_answers(&self.answers_json)
    }

    pub fn is_signed(&self) -> bool {
        self.status == "signed"
    }
}

const ECOLS: &str = "id, placement_id, point, template_id, version, status, answers_json, mentor_comment, author_user_id,
    signed_by_user_id, signed_by_name, signed_at, acknowledged_at, student_comment, correction_reason, created_at, updated_at";

pub async fn get(tx: &mut Tx, id: &str) -> DbResult<Option<EvaluationRow>> {
    let sql = format!("SELECT {ECOLS} FROM evaluations WHERE id = $1");
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(id).fetch_optional(c).await)?,
    )
}

pub async fn of_placement(tx: &mut Tx, placement_id: &str) -> DbResult<Vec<EvaluationRow>> {
    let sql =
        format!("SELECT {ECOLS} FROM evaluations WHERE placement_id = $1 ORDER BY created_at, id");
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(placement_id).fetch_all(c).await)?,
    )
}

/// A row lock on PostgreSQL so two signatures (or a signature and a correction) serialise;
/// SQLite's write transaction already does.
pub async fn lock(tx: &mut Tx, id: &str) -> DbResult<()> {
    if let Tx::Postgres(t) = tx {
        sqlx::query("SELECT id FROM evaluations WHERE id = $1 FOR UPDATE")
            .bind(id)
            .fetch_optional(&mut **t)
            .await?;
    }
    Ok(())
}

pub async fn insert(tx: &mut Tx, e: &EvaluationRow) -> DbResult<()> {
    let sql = format!(
        "INSERT INTO evaluations ({ECOLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)"
    );
    on_tx!(tx, c => sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(&e.id).bind(&e.placement_id).bind(&e.point).bind(&e.template_id).bind(e.version).bind(&e.status)
        .bind(&e.answers_json).bind(&e.mentor_comment).bind(&e.author_user_id).bind(&e.signed_by_user_id)
        .bind(&e.signed_by_name).bind(e.signed_at).bind(e.acknowledged_at).bind(&e.student_comment)
        .bind(&e.correction_reason).bind(e.created_at).bind(e.updated_at)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Writes every changeable field of the current version.
pub async fn update(tx: &mut Tx, e: &EvaluationRow) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE evaluations SET template_id = $2, version = $3, status = $4, answers_json = $5, mentor_comment = $6,
         author_user_id = $7, signed_by_user_id = $8, signed_by_name = $9, signed_at = $10, acknowledged_at = $11,
         student_comment = $12, correction_reason = $13, updated_at = $14 WHERE id = $1")
        .bind(&e.id).bind(&e.template_id).bind(e.version).bind(&e.status).bind(&e.answers_json)
        .bind(&e.mentor_comment).bind(&e.author_user_id).bind(&e.signed_by_user_id).bind(&e.signed_by_name)
        .bind(e.signed_at).bind(e.acknowledged_at).bind(&e.student_comment).bind(&e.correction_reason)
        .bind(e.updated_at)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

#[derive(Clone, Debug, sqlx::FromRow, serde::Serialize)]
pub struct VersionRow {
    pub id: String,
    pub evaluation_id: String,
    pub version: i64,
    pub template_id: String,
    pub answers_json: String,
    pub mentor_comment: Option<String>,
    pub signed_by_name: Option<String>,
    pub signed_at: Option<DateTime<Utc>>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub student_comment: Option<String>,
    pub correction_reason: Option<String>,
    pub replaced_at: DateTime<Utc>,
}

const VCOLS: &str = "id, evaluation_id, version, template_id, answers_json, mentor_comment, signed_by_name, signed_at,
    acknowledged_at, student_comment, correction_reason, replaced_at";

/// Keeps the current version as history before a correction replaces it.
pub async fn keep_version(tx: &mut Tx, e: &EvaluationRow, now: DateTime<Utc>) -> DbResult<()> {
    let sql = format!(
        "INSERT INTO evaluation_versions ({VCOLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
    );
    on_tx!(tx, c => sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(super::new_id()).bind(&e.id).bind(e.version).bind(&e.template_id).bind(&e.answers_json)
        .bind(&e.mentor_comment).bind(&e.signed_by_name).bind(e.signed_at).bind(e.acknowledged_at)
        .bind(&e.student_comment).bind(&e.correction_reason).bind(now)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// The versions a correction replaced, oldest first.
pub async fn history(tx: &mut Tx, evaluation_id: &str) -> DbResult<Vec<VersionRow>> {
    let sql = format!(
        "SELECT {VCOLS} FROM evaluation_versions WHERE evaluation_id = $1 ORDER BY version"
    );
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(evaluation_id).fetch_all(c).await)?,
    )
}

/// One submitted site evaluation with what the aggregates group by (never who wrote it).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SiteResponse {
    pub department_id: String,
    pub department_name: String,
    pub supervisor_id: Option<String>,
    pub supervisor_name: Option<String>,
    pub template_id: String,
    pub answers_json: String,
}

impl SiteResponse {
    pub fn answers(&self) -> Answers {
        stored_answers(&self.answers_json)
    }
}

/// Every submitted site evaluation, with its placement's department and supervisor (the
/// preceptor, else the site mentor).
pub async fn site_responses(tx: &mut Tx) -> DbResult<Vec<SiteResponse>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT p.department_id, d.name AS department_name, COALESCE(p.preceptor_id, p.site_mentor_id) AS supervisor_id,
                sf.name AS supervisor_name, e.template_id, e.answers_json
         FROM evaluations e
         JOIN placements p ON p.id = e.placement_id
         JOIN departments d ON d.id = p.department_id
         LEFT JOIN staff sf ON sf.id = COALESCE(p.preceptor_id, p.site_mentor_id)
         WHERE e.point = 'site' AND e.status = 'signed'
         ORDER BY d.name, e.id")
        .fetch_all(c).await)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::evaluation::Answer;

    #[test]
    fn stored_answers_read_back_and_a_broken_text_reads_as_none() {
        let a = stored_answers(r#"{"safety": 4, "ok": true, "note": "fine"}"#);
        assert_eq!(a.get("safety"), Some(&Answer::Whole(4)));
        assert_eq!(a.get("ok"), Some(&Answer::YesNo(true)));
        assert_eq!(a.get("note"), Some(&Answer::Text("fine".into())));
        assert!(stored_answers("not json").is_empty());
        assert!(stored_answers("[1, 2]").is_empty());
    }
}

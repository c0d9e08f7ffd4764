//! Offboarding tasks (migration 0022): what must end when a placement ends, one row per kind,
//! ticked by a named person.
use super::{DbResult, Page, Paged, Tx, paged};
use crate::on_tx;
use chrono::{DateTime, NaiveDate, Utc};

#[derive(Clone, Debug, sqlx::FromRow, serde::Serialize)]
pub struct TaskRow {
    pub id: String,
    pub placement_id: String,
    /// collect_badge, disable_network_account, disable_ehr_account, revoke_parking
    pub kind: String,
    pub due_on: NaiveDate,
    /// completed or cancelled
    pub ended_as: String,
    pub created_at: DateTime<Utc>,
    pub done_at: Option<DateTime<Utc>>,
    pub done_by: Option<String>,
    pub done_by_name: Option<String>,
}

/// A task with the names the list shows.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ListedTask {
    #[sqlx(flatten)]
    pub task: TaskRow,
    pub student_name: Option<String>,
    pub department_id: String,
    pub department_name: String,
    pub site_name: String,
}

const COLS: &str = "t.id, t.placement_id, t.kind, t.due_on, t.ended_as, t.created_at, t.done_at, t.done_by, t.done_by_name";

pub async fn insert(tx: &mut Tx, t: &TaskRow) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO offboarding_tasks (id, placement_id, kind, due_on, ended_as, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&t.id).bind(&t.placement_id).bind(&t.kind).bind(t.due_on).bind(&t.ended_as).bind(t.created_at)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn get(tx: &mut Tx, id: &str) -> DbResult<Option<TaskRow>> {
    let sql = format!("SELECT {COLS} FROM offboarding_tasks t WHERE t.id = $1");
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(id).fetch_optional(c).await)?,
    )
}

pub async fn of_placement(tx: &mut Tx, placement_id: &str) -> DbResult<Vec<TaskRow>> {
    let sql =
        format!("SELECT {COLS} FROM offboarding_tasks t WHERE t.placement_id = $1 ORDER BY t.id");
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(placement_id).fetch_all(c).await)?,
    )
}

/// Ticks the task; answers false if it was done already (nothing changed).
pub async fn mark_done(
    tx: &mut Tx,
    id: &str,
    user_id: &str,
    name: &str,
    at: DateTime<Utc>,
) -> DbResult<bool> {
    let n = on_tx!(tx, c => sqlx::query(
        "UPDATE offboarding_tasks SET done_at = $2, done_by = $3, done_by_name = $4 WHERE id = $1 AND done_at IS NULL")
        .bind(id).bind(at).bind(user_id).bind(name)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// The verified provisioning steps recorded for the placement (requirement codes of the
/// `provisioning` category), each once.
pub async fn provisioned(tx: &mut Tx, placement_id: &str) -> DbResult<Vec<String>> {
    let rows: Vec<(String,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT DISTINCT d.requirement_code FROM documents d JOIN requirements r ON r.code = d.requirement_code
         WHERE d.placement_id = $1 AND d.status = 'verified' AND r.category = 'provisioning'
         ORDER BY d.requirement_code")
        .bind(placement_id).fetch_all(c).await)?;
    Ok(rows.into_iter().map(|(c,)| c).collect())
}

#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// open, overdue or done, on `today`.
    pub state: Option<String>,
    pub kind: Option<String>,
    pub department_id: Option<String>,
    pub placement_id: Option<String>,
    /// Due on or after / on or before.
    pub due_from: Option<NaiveDate>,
    pub due_to: Option<NaiveDate>,
}

/// The tasks, oldest first; the cursor is the last id of the page.
pub async fn list(
    tx: &mut Tx,
    f: &Filter,
    today: NaiveDate,
    page: &Page,
) -> DbResult<Paged<ListedTask>> {
    let sql = format!(
        "SELECT {COLS}, CASE WHEN s.id IS NULL THEN NULL ELSE s.first_name || ' ' || s.last_name END AS student_name,
                p.department_id, d.name AS department_name, si.name AS site_name
         FROM offboarding_tasks t
         JOIN placements p ON p.id = t.placement_id
         JOIN departments d ON d.id = p.department_id
         JOIN sites si ON si.id = d.site_id
         LEFT JOIN students s ON s.id = p.student_id
         WHERE ($1 IS NULL OR ($1 = 'done' AND t.done_at IS NOT NULL)
                OR ($1 = 'overdue' AND t.done_at IS NULL AND t.due_on < $2)
                OR ($1 = 'open' AND t.done_at IS NULL AND t.due_on >= $2))
           AND ($3 IS NULL OR t.kind = $3) AND ($4 IS NULL OR p.department_id = $4)
           AND ($5 IS NULL OR t.placement_id = $5)
           AND ($6 IS NULL OR t.due_on >= $6) AND ($7 IS NULL OR t.due_on <= $7)
           AND ($8 IS NULL OR t.id > $8)
         ORDER BY t.id LIMIT $9"
    );
    let rows: Vec<ListedTask> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(&f.state).bind(today).bind(&f.kind).bind(&f.department_id).bind(&f.placement_id)
        .bind(f.due_from).bind(f.due_to).bind(&page.after).bind(page.limit + 1)
        .fetch_all(c).await)?;
    Ok(paged(rows, page, |r| &r.task.id))
}

/// Tasks not done whose due day has passed.
pub async fn overdue_count(tx: &mut Tx, today: NaiveDate) -> DbResult<i64> {
    Ok(on_tx!(tx, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM offboarding_tasks WHERE done_at IS NULL AND due_on < $1")
        .bind(today).fetch_one(c).await)?)
}

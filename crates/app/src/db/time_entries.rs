//! Time entries (migration 0020): a student's day on a placement, or an absence.
use super::{DbResult, Page, Paged, Tx, paged};
use crate::on_tx;
use chrono::{DateTime, NaiveDate, Utc};

#[derive(Clone, Debug, sqlx::FromRow, serde::Serialize)]
pub struct TimeEntryRow {
    pub id: String,
    pub placement_id: String,
    pub student_id: String,
    pub entry_date: NaiveDate,
    /// worked, absence
    pub kind: String,
    pub minutes: i64,
    /// `HH:MM`
    pub clock_in: Option<String>,
    pub clock_out: Option<String>,
    pub activity: Option<String>,
    pub notes: Option<String>,
    pub absence_reason: Option<String>,
    pub make_up_on: Option<NaiveDate>,
    /// pending, approved, returned
    pub status: String,
    pub decision_note: Option<String>,
    pub decided_by: Option<String>,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    /// When it last started waiting for its supervisor (logged, or changed after a return).
    pub submitted_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const COLS: &str = "id, placement_id, student_id, entry_date, kind, minutes, clock_in, clock_out, activity, notes,
    absence_reason, make_up_on, status, decision_note, decided_by, decided_by_name, decided_at, submitted_at,
    created_at, updated_at";

/// The same columns, of `time_entries` as `e` in a join.
const E_COLS: &str = "e.id, e.placement_id, e.student_id, e.entry_date, e.kind, e.minutes, e.clock_in, e.clock_out,
    e.activity, e.notes, e.absence_reason, e.make_up_on, e.status, e.decision_note, e.decided_by, e.decided_by_name,
    e.decided_at, e.submitted_at, e.created_at, e.updated_at";

pub async fn insert(tx: &mut Tx, e: &TimeEntryRow) -> DbResult<()> {
    let sql = format!(
        "INSERT INTO time_entries ({COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
         $17, $18, $19, $20)"
    );
    on_tx!(tx, c => sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(&e.id).bind(&e.placement_id).bind(&e.student_id).bind(e.entry_date).bind(&e.kind).bind(e.minutes)
        .bind(&e.clock_in).bind(&e.clock_out).bind(&e.activity).bind(&e.notes).bind(&e.absence_reason)
        .bind(e.make_up_on).bind(&e.status).bind(&e.decision_note).bind(&e.decided_by).bind(&e.decided_by_name)
        .bind(e.decided_at).bind(e.submitted_at).bind(e.created_at).bind(e.updated_at)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Writes every field the student changes, with the status and times that follow.
pub async fn update(tx: &mut Tx, e: &TimeEntryRow) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE time_entries SET entry_date = $2, kind = $3, minutes = $4, clock_in = $5, clock_out = $6, activity = $7,
         notes = $8, absence_reason = $9, make_up_on = $10, status = $11, submitted_at = $12, updated_at = $13
         WHERE id = $1")
        .bind(&e.id).bind(e.entry_date).bind(&e.kind).bind(e.minutes).bind(&e.clock_in).bind(&e.clock_out)
        .bind(&e.activity).bind(&e.notes).bind(&e.absence_reason).bind(e.make_up_on).bind(&e.status)
        .bind(e.submitted_at).bind(e.updated_at)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// A supervisor's decision.
pub async fn set_decision(
    tx: &mut Tx,
    id: &str,
    status: &str,
    note: Option<&str>,
    by: (&str, &str),
    at: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE time_entries SET status = $2, decision_note = $3, decided_by = $4, decided_by_name = $5, decided_at = $6,
         updated_at = $6 WHERE id = $1")
        .bind(id).bind(status).bind(note).bind(by.0).bind(by.1).bind(at)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn delete(tx: &mut Tx, id: &str) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM time_entries WHERE id = $1")
        .bind(id).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn get(tx: &mut Tx, id: &str) -> DbResult<Option<TimeEntryRow>> {
    let sql = format!("SELECT {COLS} FROM time_entries WHERE id = $1");
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(id).fetch_optional(c).await)?,
    )
}

/// Every entry of a placement, by day.
pub async fn of_placement(tx: &mut Tx, placement_id: &str) -> DbResult<Vec<TimeEntryRow>> {
    let sql =
        format!("SELECT {COLS} FROM time_entries WHERE placement_id = $1 ORDER BY entry_date, id");
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(placement_id).fetch_all(c).await)?,
    )
}

/// Every entry of a student, over all their placements (their data export).
pub async fn of_student(tx: &mut Tx, student_id: &str) -> DbResult<Vec<TimeEntryRow>> {
    let sql =
        format!("SELECT {COLS} FROM time_entries WHERE student_id = $1 ORDER BY entry_date, id");
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(student_id).fetch_all(c).await)?,
    )
}

/// The placement's entry on a day, if any.
pub async fn on_date(
    tx: &mut Tx,
    placement_id: &str,
    date: NaiveDate,
) -> DbResult<Option<TimeEntryRow>> {
    let sql =
        format!("SELECT {COLS} FROM time_entries WHERE placement_id = $1 AND entry_date = $2");
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(placement_id).bind(date).fetch_optional(c).await)?,
    )
}

/// `(status, kind, minutes)` of each of the placement's entries, for its totals.
pub async fn minutes_of(tx: &mut Tx, placement_id: &str) -> DbResult<Vec<(String, String, i64)>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT status, kind, minutes FROM time_entries WHERE placement_id = $1")
        .bind(placement_id).fetch_all(c).await)?)
}

/// Whose entries a list shows: the placements' supervisor, school, student or department
/// (all `None`: everyone's, for the office).
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub preceptor_id: Option<String>,
    pub faculty_user_id: Option<String>,
    /// A staff member as preceptor or site mentor.
    pub staff_id: Option<String>,
    pub school_id: Option<String>,
    pub student_id: Option<String>,
    pub department_id: Option<String>,
    pub placement_id: Option<String>,
    pub status: Option<String>,
    /// Dated on or after, on or before (the hours report's period).
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// worked or absence.
    pub kind: Option<String>,
    /// Of a placement of this program, of this school (the office's narrowing; a school's own
    /// scope is `school_id`).
    pub program_id: Option<String>,
    pub of_school_id: Option<String>,
}

/// `list`'s condition over `e` (the entry) and `p` (its placement): `$2`..`$9` the filter.
const WHERE: &str = "($2 IS NULL OR p.preceptor_id = $2) AND ($3 IS NULL OR p.faculty_user_id = $3)
         AND ($4 IS NULL OR p.preceptor_id = $4 OR p.site_mentor_id = $4) AND ($5 IS NULL OR p.school_id = $5)
         AND ($6 IS NULL OR e.student_id = $6) AND ($7 IS NULL OR p.department_id = $7)
         AND ($8 IS NULL OR e.placement_id = $8) AND ($9 IS NULL OR e.status = $9)";

/// Entries across placements, oldest day first within keyset pages by id.
pub async fn list(tx: &mut Tx, f: &Filter, page: &Page) -> DbResult<Paged<TimeEntryRow>> {
    let sql = format!(
        "SELECT {E_COLS} FROM time_entries e JOIN placements p ON p.id = e.placement_id
         WHERE e.id > $1 AND {WHERE}
         AND ($11 IS NULL OR e.entry_date >= $11) AND ($12 IS NULL OR e.entry_date <= $12)
         AND ($13 IS NULL OR e.kind = $13) AND ($14 IS NULL OR p.program_id = $14) AND ($15 IS NULL OR p.school_id = $15)
         ORDER BY e.id LIMIT $10"
    );
    let rows: Vec<TimeEntryRow> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(page.after()).bind(&f.preceptor_id).bind(&f.faculty_user_id).bind(&f.staff_id).bind(&f.school_id)
        .bind(&f.student_id).bind(&f.department_id).bind(&f.placement_id).bind(&f.status).bind(page.fetch_limit())
        .bind(f.from).bind(f.to).bind(&f.kind).bind(&f.program_id).bind(&f.of_school_id)
        .fetch_all(c).await)?;
    Ok(paged(rows, page, |r| &r.id))
}

/// How many entries `list` answers over all its pages, counted by the database (the homes'
/// tiles; issue 18 point 4).
pub async fn count(tx: &mut Tx, f: &Filter) -> DbResult<i64> {
    let sql = format!(
        "SELECT COUNT(*) FROM time_entries e JOIN placements p ON p.id = e.placement_id
         WHERE ($1 IS NULL OR e.id > $1) AND {WHERE}"
    );
    Ok(
        on_tx!(tx, c => sqlx::query_scalar(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(None::<String>).bind(&f.preceptor_id).bind(&f.faculty_user_id).bind(&f.staff_id).bind(&f.school_id)
        .bind(&f.student_id).bind(&f.department_id).bind(&f.placement_id).bind(&f.status)
        .fetch_one(c).await)?,
    )
}

/// The (placement, day) pairs with an entry among `list`'s, for days `from..=to` only.
pub async fn days_logged(
    tx: &mut Tx,
    f: &Filter,
    from: NaiveDate,
    to: NaiveDate,
) -> DbResult<Vec<(String, NaiveDate)>> {
    let sql = format!(
        "SELECT DISTINCT e.placement_id, e.entry_date FROM time_entries e JOIN placements p ON p.id = e.placement_id
         WHERE ($1 IS NULL OR e.id > $1) AND {WHERE} AND e.entry_date >= $10 AND e.entry_date <= $11"
    );
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(None::<String>).bind(&f.preceptor_id).bind(&f.faculty_user_id).bind(&f.staff_id).bind(&f.school_id)
        .bind(&f.student_id).bind(&f.department_id).bind(&f.placement_id).bind(&f.status).bind(from).bind(to)
        .fetch_all(c).await)?,
    )
}

/// Pending entries that have waited since `before` or earlier, for the reminder sweep.
pub async fn pending_since(tx: &mut Tx, before: DateTime<Utc>) -> DbResult<Vec<TimeEntryRow>> {
    let sql = format!(
        "SELECT {COLS} FROM time_entries WHERE status = 'pending' AND submitted_at <= $1
         ORDER BY placement_id, entry_date, id"
    );
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(before).fetch_all(c).await)?,
    )
}

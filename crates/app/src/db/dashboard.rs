//! The office's dashboard counts (issue 17, issue 18 point 4): each is one `COUNT`/`GROUP BY`
//! query (or the oldest row's time, read by an index), never a list read to be counted. Each
//! function says which list it counts, so the count and the list cannot drift apart.
use super::{DbResult, Tx, placements::PlacementRow};
use crate::on_tx;
use chrono::{DateTime, NaiveDate, Utc};

/// The placements overlapping `from..=to` (inclusive; what the placements list's `from`/`to`
/// filter answers), counted by their stored status: `(status, count)`, statuses in order.
pub async fn placements_by_status(
    tx: &mut Tx,
    from: NaiveDate,
    to: NaiveDate,
) -> DbResult<Vec<(String, i64)>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT status, COUNT(*) FROM placements WHERE ends_on >= $1 AND starts_on <= $2
         GROUP BY status ORDER BY status")
        .bind(from).bind(to).fetch_all(c).await)?)
}

/// How many requests wait for a decision (submitted or waitlisted: the requests list's
/// `open=true`), and when the oldest of them came in.
pub async fn requests_waiting(tx: &mut Tx) -> DbResult<(i64, Option<DateTime<Utc>>)> {
    let n: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM placement_requests WHERE status IN ('submitted', 'waitlisted')")
        .fetch_one(c).await)?;
    let oldest: Option<DateTime<Utc>> = on_tx!(tx, c => sqlx::query_scalar(
        "SELECT created_at FROM placement_requests WHERE status IN ('submitted', 'waitlisted')
         ORDER BY created_at LIMIT 1")
        .fetch_optional(c).await)?;
    Ok((n, oldest))
}

/// How many documents wait for review (`submitted`: the review queue `/documents`), and when
/// the oldest of them was sent.
pub async fn documents_waiting(tx: &mut Tx) -> DbResult<(i64, Option<DateTime<Utc>>)> {
    let n: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM documents WHERE status = 'submitted'")
        .fetch_one(c).await)?;
    let oldest: Option<DateTime<Utc>> = on_tx!(tx, c => sqlx::query_scalar(
        "SELECT submitted_at FROM documents WHERE status = 'submitted' ORDER BY submitted_at LIMIT 1")
        .fetch_optional(c).await)?;
    Ok((n, oldest))
}

/// Active agreements ending between `from` and `to` (inclusive): the agreements list's
/// `expiring` filter.
pub async fn agreements_expiring(tx: &mut Tx, from: NaiveDate, to: NaiveDate) -> DbResult<i64> {
    Ok(on_tx!(tx, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM agreements WHERE status = 'active' AND expires_on <= $2 AND expires_on >= $1")
        .bind(from).bind(to).fetch_one(c).await)?)
}

/// Programs whose accreditation ends between `from` and `to` (inclusive): the programs
/// list's `accreditation_ending_within` filter.
pub async fn accreditations_ending(tx: &mut Tx, from: NaiveDate, to: NaiveDate) -> DbResult<i64> {
    Ok(on_tx!(tx, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM programs WHERE accredited_until IS NOT NULL AND accredited_until <= $2
         AND accredited_until >= $1")
        .bind(from).bind(to).fetch_one(c).await)?)
}

/// Active or completed placements with hour entries waiting for approval since `before` or
/// earlier (the reminder's rule, `domain::hours::REMIND_AFTER_DAYS`): the hours overview's
/// `overdue=yes`.
pub async fn placements_with_hours_overdue(tx: &mut Tx, before: DateTime<Utc>) -> DbResult<i64> {
    Ok(on_tx!(tx, c => sqlx::query_scalar(
        "SELECT COUNT(DISTINCT e.placement_id) FROM time_entries e JOIN placements p ON p.id = e.placement_id
         WHERE e.status = 'pending' AND e.submitted_at <= $1 AND p.status IN ('active', 'completed')")
        .bind(before).fetch_one(c).await)?)
}

/// The ids of those placements, for the hours overview's filter.
pub async fn placement_ids_with_hours_overdue(
    tx: &mut Tx,
    before: DateTime<Utc>,
) -> DbResult<Vec<String>> {
    Ok(on_tx!(tx, c => sqlx::query_scalar(
        "SELECT DISTINCT e.placement_id FROM time_entries e JOIN placements p ON p.id = e.placement_id
         WHERE e.status = 'pending' AND e.submitted_at <= $1 AND p.status IN ('active', 'completed')
         ORDER BY e.placement_id")
        .bind(before).fetch_all(c).await)?)
}

/// The confirmed placements overlapping `from..=to`: the only rows whose clearance splits a
/// count (onboarding or cleared; clearance is derived by `domain::clearance`, not stored).
pub async fn confirmed_overlapping(
    tx: &mut Tx,
    from: NaiveDate,
    to: NaiveDate,
) -> DbResult<Vec<PlacementRow>> {
    super::placements::where_status(
        tx,
        "status = 'confirmed' AND ends_on >= $1 AND starts_on <= $2",
        from,
        to,
    )
    .await
}

/// The proposed and confirmed placements starting between `from` and `to` (inclusive): the
/// clearance pipeline's candidates (the placements list's `starting` filter).
pub async fn starting_between(
    tx: &mut Tx,
    from: NaiveDate,
    to: NaiveDate,
) -> DbResult<Vec<PlacementRow>> {
    super::placements::where_status(
        tx,
        "status IN ('proposed', 'confirmed') AND starts_on >= $1 AND starts_on <= $2",
        from,
        to,
    )
    .await
}

/// Students with a current enrollment whose status is `enrolled`: the students list's
/// `status=enrolled`.
pub async fn students_enrolled(tx: &mut Tx) -> DbResult<i64> {
    Ok(on_tx!(tx, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM students s WHERE EXISTS (SELECT 1 FROM enrollments e WHERE e.student_id = s.id
         AND e.ended_at IS NULL AND e.status = 'enrolled')")
        .fetch_one(c).await)?)
}

/// The supervisor's evaluations (midterm and final) overdue on `today`: owed (the placement is
/// confirmed, active or completed: `domain::evaluation::owed`), their due day passed
/// (`domain::evaluation::due_on`: the midterm at the middle day, the earlier of two; the final
/// on the last day) and not signed. `{MID}` is the midpoint, written per backend (date
/// arithmetic is not portable SQL).
const OVERDUE_EVALUATIONS: &str = "SELECT o.placement_id, o.point FROM (
        SELECT p.id AS placement_id, 'midterm' AS point, {MID} AS due_on FROM placements p
         WHERE p.status IN ('confirmed', 'active', 'completed')
        UNION ALL
        SELECT p.id AS placement_id, 'final' AS point, p.ends_on AS due_on FROM placements p
         WHERE p.status IN ('confirmed', 'active', 'completed')
     ) o
     WHERE o.due_on < $1 AND NOT EXISTS (SELECT 1 FROM evaluations e WHERE e.placement_id = o.placement_id
         AND e.point = o.point AND e.status = 'signed')";

fn overdue_evaluations_sql(tx: &Tx) -> String {
    let mid = match tx {
        Tx::Sqlite(_) => {
            "date(p.starts_on, '+' || (CAST(julianday(p.ends_on) - julianday(p.starts_on) AS INTEGER) / 2) || ' days')"
        }
        Tx::Postgres(_) => "(p.starts_on + ((p.ends_on - p.starts_on) / 2))",
    };
    OVERDUE_EVALUATIONS.replace("{MID}", mid)
}

/// How many evaluations are overdue on `today` (the evaluations list `overdue=yes`).
pub async fn evaluations_overdue(tx: &mut Tx, today: NaiveDate) -> DbResult<i64> {
    let sql = format!(
        "SELECT COUNT(*) FROM ({}) AS counted",
        overdue_evaluations_sql(tx)
    );
    Ok(
        on_tx!(tx, c => sqlx::query_scalar(sqlx::AssertSqlSafe(sql.as_str())).bind(today).fetch_one(c).await)?,
    )
}

/// The evaluations overdue on `today`: (placement id, point), oldest placement first.
pub async fn overdue_evaluations(tx: &mut Tx, today: NaiveDate) -> DbResult<Vec<(String, String)>> {
    let sql = format!(
        "SELECT placement_id, point FROM ({}) AS listed ORDER BY placement_id, point",
        overdue_evaluations_sql(tx)
    );
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(today).fetch_all(c).await)?,
    )
}

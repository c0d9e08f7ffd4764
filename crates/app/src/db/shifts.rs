//! Shifts: the days and hours of a placement (migration 0019), and the lists the schedule
//! pages, the calendar feeds and "who is on site" read, each narrowed to the caller's scope
//! through the shift's placement.
use super::{DbResult, Scope, Tx, placements::PlacementRow};
use crate::domain::{
    period::Period,
    records::Shift as PatternDay,
    schedule::{self, ShiftKind, ShiftStatus, ShiftTimes, WeeklyShift},
};
use crate::on_tx;
use chrono::{DateTime, NaiveDate, Utc};

#[derive(Clone, Debug, sqlx::FromRow, serde::Serialize)]
pub struct ShiftRow {
    pub id: String,
    pub placement_id: String,
    pub date: NaiveDate,
    /// HH:MM
    pub starts_at: String,
    pub ends_at: String,
    pub department_id: String,
    pub supervisor_staff_id: Option<String>,
    pub supervisor_user_id: Option<String>,
    /// regular, make_up
    pub kind: String,
    /// scheduled, cancelled
    pub status: String,
    pub cancel_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ShiftRow {
    pub fn times(&self) -> Option<ShiftTimes> {
        ShiftTimes::parse(&self.starts_at, &self.ends_at).ok()
    }

    pub fn is_cancelled(&self) -> bool {
        self.status == ShiftStatus::Cancelled.as_str()
    }
}

const COLS: &str = "id, placement_id, date, starts_at, ends_at, department_id, supervisor_staff_id, supervisor_user_id,
    kind, status, cancel_reason, created_at, updated_at";

/// A shift with the names a page, a feed or an export shows.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ListedShift {
    pub id: String,
    pub placement_id: String,
    pub date: NaiveDate,
    pub starts_at: String,
    pub ends_at: String,
    pub kind: String,
    pub status: String,
    pub cancel_reason: Option<String>,
    pub updated_at: DateTime<Utc>,
    pub department_id: String,
    pub department_name: String,
    pub site_id: String,
    pub site_name: String,
    pub student_id: Option<String>,
    pub student_name: Option<String>,
    pub supervisor_name: Option<String>,
    pub supervisor_email: Option<String>,
    pub discipline: String,
    pub placement_status: String,
}

/// What a list of shifts is narrowed to, on top of the scope.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub placement_id: Option<String>,
    pub site_id: Option<String>,
    pub department_id: Option<String>,
    pub discipline: Option<String>,
    pub include_cancelled: bool,
    /// Leave out the shifts of proposed and cancelled placements (who is on site).
    pub only_confirmed_placements: bool,
}

/// The shifts in the caller's scope, by date and start time; a cancelled placement's are
/// left out (its page still lists them).
pub async fn list(tx: &mut Tx, scope: &Scope, f: &Filter) -> DbResult<Vec<ListedShift>> {
    let (school, student, dept, staff, faculty) = match scope {
        Scope::All => (None, None, None, None, None),
        Scope::School(s) => (Some(s.as_str()), None, None, None, None),
        Scope::Student(s) => (None, Some(s.as_str()), None, None, None),
        Scope::Department(d) => (None, None, Some(d.as_str()), None, None),
        Scope::Staff(s) => (None, None, None, Some(s.as_str()), None),
        Scope::Faculty(u) => (None, None, None, None, Some(u.as_str())),
        Scope::Nothing => return Ok(vec![]),
    };
    let sql = "SELECT sh.id, sh.placement_id, sh.date, sh.starts_at, sh.ends_at, sh.kind, sh.status, sh.cancel_reason,
                sh.updated_at, sh.department_id, d.name AS department_name, d.site_id, si.name AS site_name,
                p.student_id, CASE WHEN st.id IS NULL THEN NULL ELSE st.first_name || ' ' || st.last_name END AS student_name,
                COALESCE(sf.name, fu.name) AS supervisor_name, COALESCE(sf.email, fu.email) AS supervisor_email,
                pr.discipline, p.status AS placement_status
         FROM shifts sh
         JOIN placements p ON p.id = sh.placement_id
         JOIN departments d ON d.id = sh.department_id
         JOIN sites si ON si.id = d.site_id
         JOIN programs pr ON pr.id = p.program_id
         LEFT JOIN students st ON st.id = p.student_id
         LEFT JOIN staff sf ON sf.id = sh.supervisor_staff_id
         LEFT JOIN users fu ON fu.id = sh.supervisor_user_id
         WHERE ($1 IS NULL OR p.school_id = $1) AND ($2 IS NULL OR p.student_id = $2)
           AND ($3 IS NULL OR p.department_id = $3 OR sh.department_id = $3)
           AND ($4 IS NULL OR p.preceptor_id = $4 OR p.site_mentor_id = $4 OR sh.supervisor_staff_id = $4)
           AND ($5 IS NULL OR p.faculty_user_id = $5)
           AND ($6 IS NULL OR sh.date >= $6) AND ($7 IS NULL OR sh.date <= $7)
           AND ($8 IS NULL OR sh.placement_id = $8) AND ($9 IS NULL OR d.site_id = $9)
           AND ($10 IS NULL OR sh.department_id = $10) AND ($11 IS NULL OR pr.discipline = $11)
           AND ($12 OR sh.status = 'scheduled') AND p.status <> 'cancelled'
           AND (NOT $13 OR p.status NOT IN ('proposed', 'cancelled'))
         ORDER BY sh.date, sh.starts_at, si.name, d.name, student_name, sh.id";
    Ok(on_tx!(tx, c => sqlx::query_as(sql)
        .bind(school).bind(student).bind(dept).bind(staff).bind(faculty)
        .bind(f.from).bind(f.to).bind(&f.placement_id).bind(&f.site_id).bind(&f.department_id).bind(&f.discipline)
        .bind(f.include_cancelled).bind(f.only_confirmed_placements)
        .fetch_all(c).await)?)
}

/// Every shift of one placement, cancelled ones too, by date.
pub async fn of_placement(tx: &mut Tx, placement_id: &str) -> DbResult<Vec<ShiftRow>> {
    let sql =
        format!("SELECT {COLS} FROM shifts WHERE placement_id = $1 ORDER BY date, starts_at, id");
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(placement_id).fetch_all(c).await)?,
    )
}

pub async fn get(tx: &mut Tx, placement_id: &str, id: &str) -> DbResult<Option<ShiftRow>> {
    let sql = format!("SELECT {COLS} FROM shifts WHERE id = $1 AND placement_id = $2");
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(id).bind(placement_id).fetch_optional(c).await)?,
    )
}

pub async fn insert(tx: &mut Tx, s: &ShiftRow) -> DbResult<()> {
    let sql = format!(
        "INSERT INTO shifts ({COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
    );
    on_tx!(tx, c => sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(&s.id).bind(&s.placement_id).bind(s.date).bind(&s.starts_at).bind(&s.ends_at).bind(&s.department_id)
        .bind(&s.supervisor_staff_id).bind(&s.supervisor_user_id).bind(&s.kind).bind(&s.status).bind(&s.cancel_reason)
        .bind(s.created_at).bind(s.updated_at)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Writes every changeable field of the shift.
pub async fn update(tx: &mut Tx, s: &ShiftRow) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE shifts SET date = $2, starts_at = $3, ends_at = $4, department_id = $5, supervisor_staff_id = $6,
         supervisor_user_id = $7, kind = $8, status = $9, cancel_reason = $10, updated_at = $11 WHERE id = $1")
        .bind(&s.id).bind(s.date).bind(&s.starts_at).bind(&s.ends_at).bind(&s.department_id)
        .bind(&s.supervisor_staff_id).bind(&s.supervisor_user_id).bind(&s.kind).bind(&s.status)
        .bind(&s.cancel_reason).bind(s.updated_at)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// The weekly pattern of a request as the rules take it (days that cannot be read left out:
/// the request's reader refused them already).
pub fn pattern_of(days: &[PatternDay]) -> Vec<WeeklyShift> {
    days.iter()
        .filter_map(|d| {
            Some(WeeklyShift {
                weekday: schedule::parse_weekday(&d.weekday)?,
                times: ShiftTimes::parse(&d.starts_at, &d.ends_at).ok()?,
            })
        })
        .collect()
}

/// Writes the shifts of a new placement from its request's weekly pattern; answers how many.
pub async fn generate(
    tx: &mut Tx,
    p: &PlacementRow,
    pattern: &[PatternDay],
    now: DateTime<Utc>,
) -> DbResult<usize> {
    let Some(period) = Period::new(p.starts_on, p.ends_on) else {
        return Ok(0);
    };
    let days = schedule::generate(&pattern_of(pattern), period);
    for (date, times) in &days {
        insert(
            tx,
            &ShiftRow {
                id: super::new_id(),
                placement_id: p.id.clone(),
                date: *date,
                starts_at: times.start_text(),
                ends_at: times.end_text(),
                department_id: p.department_id.clone(),
                supervisor_staff_id: p.preceptor_id.clone().or(p.site_mentor_id.clone()),
                supervisor_user_id: p.faculty_user_id.clone(),
                kind: ShiftKind::Regular.as_str().into(),
                status: ShiftStatus::Scheduled.as_str().into(),
                cancel_reason: None,
                created_at: now,
                updated_at: now,
            },
        )
        .await?;
    }
    Ok(days.len())
}

/// Placements made before shifts existed (not cancelled, with no shift at all) get theirs
/// from their request's pattern. Idempotent: a placement with any shift is left alone, so
/// it runs on every migrate (`Db::migrate`). Answers how many shifts it wrote.
pub async fn backfill(tx: &mut Tx) -> DbResult<usize> {
    let ids: Vec<(String,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT p.id FROM placements p JOIN placement_requests r ON r.id = p.request_id
         WHERE p.status <> 'cancelled' AND r.shifts_json <> '[]'
           AND NOT EXISTS (SELECT 1 FROM shifts s WHERE s.placement_id = p.id)
         ORDER BY p.id")
        .fetch_all(c).await)?;
    let mut written = 0;
    for (id,) in ids {
        let Some(p) = super::placements::get(tx, &id).await? else {
            continue;
        };
        let Some(r) = super::requests::get(tx, &p.request_id).await? else {
            continue;
        };
        written += generate(tx, &p, &r.shifts, p.created_at).await?;
    }
    Ok(written)
}

//! Placements: one student in one department for a period.
use super::{DbResult, Page, Paged, Scope, Tx, paged};
use crate::on_tx;
use chrono::{DateTime, NaiveDate, Utc};

#[derive(Clone, Debug, sqlx::FromRow, serde::Serialize)]
pub struct PlacementRow {
    pub id: String,
    pub request_id: String,
    pub kind: String,
    pub student_id: Option<String>,
    pub school_id: String,
    pub program_id: String,
    pub department_id: String,
    pub preceptor_id: Option<String>,
    pub site_mentor_id: Option<String>,
    pub faculty_user_id: Option<String>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// The stored status: proposed, confirmed, active, completed, cancelled.
    pub status: String,
    pub cancel_reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

const COLS: &str = "id, request_id, kind, student_id, school_id, program_id, department_id, preceptor_id, site_mentor_id,
    faculty_user_id, starts_on, ends_on, status, cancel_reason, created_at";

#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub status: Option<String>,
    pub school_id: Option<String>,
    pub department_id: Option<String>,
    pub student_id: Option<String>,
    pub request_id: Option<String>,
    pub kind: Option<String>,
    /// Overlapping this period.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// In a department of this site.
    pub site_id: Option<String>,
    /// Of a program of this discipline (its code) and this degree level.
    pub discipline: Option<String>,
    pub degree_level: Option<String>,
    /// Only those not cancelled (what the reports count).
    pub placed: bool,
}

/// The placements list's sortable columns: student, school, department, supervisor, period, status.
const SORT_KEYS: &[(&str, &str)] = &[
    (
        "student",
        "(SELECT LOWER(s.last_name || ' ' || s.first_name) FROM students s WHERE s.id = placements.student_id)",
    ),
    (
        "school",
        "(SELECT LOWER(x.name) FROM schools x WHERE x.id = placements.school_id)",
    ),
    (
        "department",
        "(SELECT LOWER(t.name || ' ' || d.name) FROM departments d JOIN sites t ON t.id = d.site_id WHERE d.id = placements.department_id)",
    ),
    (
        "supervisor",
        "(SELECT LOWER(f.name) FROM staff f WHERE f.id = placements.preceptor_id)",
    ),
    ("period", "starts_on"),
    ("status", "status"),
];

/// The parties a scope limits a list to: `(school, student, department, staff, faculty)`, or
/// `None` when it sees nothing.
type ScopeParties<'a> = (
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
);

fn scope_parties(scope: &Scope) -> Option<ScopeParties<'_>> {
    Some(match scope {
        Scope::All => (None, None, None, None, None),
        Scope::School(s) => (Some(s.as_str()), None, None, None, None),
        Scope::Student(s) => (None, Some(s.as_str()), None, None, None),
        Scope::Department(d) => (None, None, Some(d.as_str()), None, None),
        Scope::Staff(s) => (None, None, None, Some(s.as_str()), None),
        Scope::Faculty(u) => (None, None, None, None, Some(u.as_str())),
        Scope::Nothing => return None,
    })
}

/// The statement of a page of placements ([`list`]'s rules) selecting `columns`: `$1` the
/// cursor, `$2`-`$6` the scope's parties, `$7`-`$18` the filter, `$19` the limit
/// ([`bind_page`]).
fn list_sql(columns: &str, page: &Page) -> String {
    format!(
        "SELECT {columns} FROM placements WHERE id > $1 AND ($2 IS NULL OR school_id = $2) AND ($3 IS NULL OR student_id = $3)
         AND ($4 IS NULL OR department_id = $4) AND ($5 IS NULL OR preceptor_id = $5 OR site_mentor_id = $5)
         AND ($6 IS NULL OR faculty_user_id = $6) AND ($7 IS NULL OR status = $7) AND ($8 IS NULL OR school_id = $8)
         AND ($9 IS NULL OR department_id = $9) AND ($10 IS NULL OR student_id = $10) AND ($11 IS NULL OR request_id = $11)
         AND ($12 IS NULL OR kind = $12) AND ($13 IS NULL OR ends_on >= $13) AND ($14 IS NULL OR starts_on <= $14)
         AND ($15 IS NULL OR department_id IN (SELECT d.id FROM departments d WHERE d.site_id = $15))
         AND ($16 IS NULL OR program_id IN (SELECT pr.id FROM programs pr WHERE pr.discipline = $16))
         AND ($17 IS NULL OR program_id IN (SELECT pr.id FROM programs pr WHERE pr.degree_level = $17))
         AND ($18 = 0 OR status <> 'cancelled')
         {}",
        page.order_by(SORT_KEYS, 19)
    )
}

/// Binds a [`list_sql`] statement's parameters, `$1` to `$19` in its order, to the query `$q`.
macro_rules! bind_page {
    ($q:expr, $parties:expr, $f:expr, $page:expr) => {{
        let (school, student, dept, staff, faculty) = $parties;
        $q.bind($page.after())
            .bind(school)
            .bind(student)
            .bind(dept)
            .bind(staff)
            .bind(faculty)
            .bind(&$f.status)
            .bind(&$f.school_id)
            .bind(&$f.department_id)
            .bind(&$f.student_id)
            .bind(&$f.request_id)
            .bind(&$f.kind)
            .bind($f.from)
            .bind($f.to)
            .bind(&$f.site_id)
            .bind(&$f.discipline)
            .bind(&$f.degree_level)
            .bind(i32::from($f.placed))
            .bind($page.fetch_limit())
    }};
}

pub async fn list(
    tx: &mut Tx,
    scope: &Scope,
    f: &Filter,
    page: &Page,
) -> DbResult<Paged<PlacementRow>> {
    let Some(parties) = scope_parties(scope) else {
        return Ok(Paged {
            items: vec![],
            next_cursor: None,
        });
    };
    let sql = list_sql(COLS, page);
    let rows: Vec<PlacementRow> = on_tx!(tx, c => bind_page!(sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())), parties, f, page)
        .fetch_all(c).await)?;
    Ok(paged(rows, page, |r| &r.id))
}

/// [`list`]'s page as the placements' ids alone, in the page's order (each with no tag: a
/// placement's answer is derived from other records and the day, so its row has none; the
/// caller tags them with what its kept answers depend on). On SQLite the page is one row
/// (`page_tags!`), not a row per placement.
pub async fn list_ids(
    tx: &mut Tx,
    scope: &Scope,
    f: &Filter,
    page: &Page,
) -> DbResult<Paged<(String, Option<i64>)>> {
    let Some(parties) = scope_parties(scope) else {
        return Ok(Paged {
            items: vec![],
            next_cursor: None,
        });
    };
    let sql = list_sql("id, CAST(NULL AS BIGINT) AS row_tag", page);
    let rows = crate::page_tags!(tx, sql.as_str(), q => bind_page!(q, parties, f, page))?;
    Ok(paged(rows, page, |(id, _)| id))
}

/// The placements with these ids, in no order; an id with no placement is left out.
pub async fn get_many(tx: &mut Tx, ids: &[&str]) -> DbResult<Vec<PlacementRow>> {
    let sql = format!("SELECT {COLS} FROM placements WHERE id IN ({{ids}})");
    super::fetch_in(tx, &sql, ids).await
}

pub async fn get(tx: &mut Tx, id: &str) -> DbResult<Option<PlacementRow>> {
    let sql = format!("SELECT {COLS} FROM placements WHERE id = $1");
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(id).fetch_optional(c).await)?,
    )
}

/// Periods holding a seat in the department (not cancelled or completed) overlapping `from..=to`.
pub async fn held_in_department(
    tx: &mut Tx,
    department_id: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> DbResult<Vec<(NaiveDate, NaiveDate)>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT starts_on, ends_on FROM placements WHERE department_id = $1 AND status NOT IN ('cancelled', 'completed')
         AND ends_on >= $2 AND starts_on <= $3")
        .bind(department_id).bind(from).bind(to).fetch_all(c).await)?)
}

/// Periods holding one of the preceptor's slots overlapping `from..=to`.
pub async fn held_by_preceptor(
    tx: &mut Tx,
    staff_id: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> DbResult<Vec<(NaiveDate, NaiveDate)>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT starts_on, ends_on FROM placements WHERE preceptor_id = $1 AND status NOT IN ('cancelled', 'completed')
         AND ends_on >= $2 AND starts_on <= $3")
        .bind(staff_id).bind(from).bind(to).fetch_all(c).await)?)
}

/// Serializes capacity checks on PostgreSQL: the department and preceptor rows that guard
/// the capacity are locked until commit, in id order so two approvals cannot deadlock. On
/// SQLite the write transaction (`BEGIN IMMEDIATE`) already excludes other writers.
pub async fn lock_guards(
    tx: &mut Tx,
    department_ids: &[String],
    staff_ids: &[String],
) -> DbResult<()> {
    if let Tx::Postgres(t) = tx {
        let mut d: Vec<&String> = department_ids.iter().collect();
        d.sort();
        d.dedup();
        for id in d {
            sqlx::query("SELECT id FROM departments WHERE id = $1 FOR UPDATE")
                .bind(id)
                .fetch_optional(&mut **t)
                .await?;
        }
        let mut s: Vec<&String> = staff_ids.iter().collect();
        s.sort();
        s.dedup();
        for id in s {
            sqlx::query("SELECT id FROM staff WHERE id = $1 FOR UPDATE")
                .bind(id)
                .fetch_optional(&mut **t)
                .await?;
        }
    }
    Ok(())
}

pub async fn insert(tx: &mut Tx, p: &PlacementRow) -> DbResult<()> {
    let sql = format!(
        "INSERT INTO placements ({COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
    );
    on_tx!(tx, c => sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(&p.id).bind(&p.request_id).bind(&p.kind).bind(&p.student_id).bind(&p.school_id).bind(&p.program_id)
        .bind(&p.department_id).bind(&p.preceptor_id).bind(&p.site_mentor_id).bind(&p.faculty_user_id)
        .bind(p.starts_on).bind(p.ends_on).bind(&p.status).bind(&p.cancel_reason).bind(p.created_at)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn set_status(tx: &mut Tx, id: &str, status: &str, reason: Option<&str>) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("UPDATE placements SET status = $2, cancel_reason = COALESCE($3, cancel_reason) WHERE id = $1")
        .bind(id).bind(status).bind(reason).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn set_student(tx: &mut Tx, id: &str, student_id: &str) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("UPDATE placements SET student_id = $2 WHERE id = $1")
        .bind(id).bind(student_id).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Locks the placement's row until commit on PostgreSQL (SQLite's write transaction already
/// excludes other writers), so two moves on one placement cannot both start from the same
/// status.
pub async fn lock(tx: &mut Tx, id: &str) -> DbResult<()> {
    if let Tx::Postgres(t) = tx {
        sqlx::query("SELECT id FROM placements WHERE id = $1 FOR UPDATE")
            .bind(id)
            .fetch_optional(&mut **t)
            .await?;
    }
    Ok(())
}

impl PlacementRow {
    /// Who this placement involves, for `Scope::sees_placement`.
    pub fn parties(&self) -> crate::domain::scope::PlacementParties<'_> {
        crate::domain::scope::PlacementParties {
            school_id: &self.school_id,
            student_id: self.student_id.as_deref(),
            department_id: &self.department_id,
            preceptor_id: self.preceptor_id.as_deref(),
            site_mentor_id: self.site_mentor_id.as_deref(),
            faculty_user_id: self.faculty_user_id.as_deref(),
        }
    }
}

/// What an open placement depends on, to find the ones a write may put at risk.
#[derive(Clone, Copy, Debug)]
pub enum DependsOn<'a> {
    School(&'a str),
    Program(&'a str),
    Student(&'a str),
    Preceptor(&'a str),
    Department(&'a str),
}

/// The open placements (not cancelled or completed) that depend on one record.
pub async fn open_depending_on(tx: &mut Tx, on: DependsOn<'_>) -> DbResult<Vec<PlacementRow>> {
    let (column, id) = match on {
        DependsOn::School(id) => ("school_id", id),
        DependsOn::Program(id) => ("program_id", id),
        DependsOn::Student(id) => ("student_id", id),
        DependsOn::Preceptor(id) => ("preceptor_id", id),
        DependsOn::Department(id) => ("department_id", id),
    };
    let sql = format!(
        "SELECT {COLS} FROM placements WHERE {column} = $1 AND status NOT IN ('cancelled', 'completed')
         ORDER BY starts_on, id"
    );
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(id).fetch_all(c).await)?,
    )
}

/// The kind of record [`open_held_by_any`] reads for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DependsOnAny {
    Student,
    Preceptor,
    Department,
}

impl DependsOnAny {
    /// The placements column naming a record of this kind.
    fn column(self) -> &'static str {
        match self {
            DependsOnAny::Student => "student_id",
            DependsOnAny::Preceptor => "preceptor_id",
            DependsOnAny::Department => "department_id",
        }
    }

    /// The record of this kind `row` depends on, if any.
    pub fn of(self, row: &Held) -> Option<&str> {
        match self {
            DependsOnAny::Student => row.student_id.as_deref(),
            DependsOnAny::Preceptor => row.preceptor_id.as_deref(),
            DependsOnAny::Department => Some(&row.department_id),
        }
    }
}

/// An open placement (not cancelled or completed) as what it holds: a seat in its department,
/// a slot with its preceptor and its student's days. What the seat, slot and double-booking
/// checks of *other* placements read of it (DOMAIN.md, capacity and bookings), and no more:
/// seven columns instead of a whole [`PlacementRow`], for the thousands a page's checks read.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Held {
    pub id: String,
    pub student_id: Option<String>,
    pub department_id: String,
    pub preceptor_id: Option<String>,
    /// Which of two placements came first holds its seat or slot when capacity drops.
    pub created_at: DateTime<Utc>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

/// The open placements depending on any of several records of one kind, in one query
/// (`super::fetch_in`'s way), in `starts_on, id` order: those overlapping `days` (first and
/// last, inclusive), or all of them with `None` (what is kept per record for a list's pages,
/// `db::facts_kept::KeptFacts`). Group them by [`DependsOnAny::of`]. No ids: no query.
pub async fn open_held_by_any(
    tx: &mut Tx,
    on: DependsOnAny,
    ids: &[&str],
    days: Option<(NaiveDate, NaiveDate)>,
) -> DbResult<Vec<Held>> {
    let column = on.column();
    let head = format!(
        "SELECT id, student_id, department_id, preceptor_id, created_at, starts_on, ends_on
         FROM placements WHERE {column} IN ({{ids}}) AND status NOT IN ('cancelled', 'completed')"
    );
    match days {
        Some((from, to)) => {
            super::fetch_in_with(
                tx,
                &format!("{head} AND starts_on <= $3 AND ends_on >= $2 ORDER BY starts_on, id"),
                ids,
                &[super::Bind::Date(from), super::Bind::Date(to)],
            )
            .await
        }
        None => super::fetch_in(tx, &format!("{head} ORDER BY starts_on, id"), ids).await,
    }
}

/// An open placement overlapping another's days and sharing its department or preceptor
/// ([`overlapping_open`]): the other's id, and what it holds.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Overlapping {
    pub placement_id: String,
    #[sqlx(flatten)]
    pub held: Held,
}

/// For each of these stored placements, the open placements (not cancelled or completed)
/// sharing its department (or preceptor) whose days overlap its own, in one query, in
/// `starts_on, id` order for each: only what each placement's seat or slot check needs,
/// however many the department holds in all. What a lone page reads (a first page after a
/// write); a list read page after page reads each department's whole instead, once
/// ([`open_held_by_any`]).
pub async fn overlapping_open(
    tx: &mut Tx,
    on: DependsOnAny,
    placement_ids: &[&str],
) -> DbResult<Vec<Overlapping>> {
    let column = on.column();
    super::fetch_in(
        tx,
        &format!(
            "SELECT p.id AS placement_id, o.id, o.student_id, o.department_id, o.preceptor_id,
                    o.created_at, o.starts_on, o.ends_on
             FROM placements p
             JOIN placements o ON o.{column} = p.{column} AND o.id <> p.id
             WHERE p.id IN ({{ids}}) AND o.status NOT IN ('cancelled', 'completed')
             AND o.starts_on <= p.ends_on AND o.ends_on >= p.starts_on
             ORDER BY p.id, o.starts_on, o.id"
        ),
        placement_ids,
    )
    .await
}

/// Which of these students have an open placement (not cancelled or completed): the ones a
/// change to their record must have reviewed for risks (the bulk import's updates).
pub async fn students_with_open(tx: &mut Tx, student_ids: &[&str]) -> DbResult<Vec<String>> {
    let rows: Vec<(String,)> = super::fetch_in(
        tx,
        "SELECT DISTINCT student_id FROM placements WHERE student_id IN ({ids})
         AND status NOT IN ('cancelled', 'completed')",
        student_ids,
    )
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// Every open placement (not cancelled or completed) that ends on or after `from`, for the
/// office's list of placements at risk.
pub async fn open_from(tx: &mut Tx, from: NaiveDate) -> DbResult<Vec<PlacementRow>> {
    let sql = format!(
        "SELECT {COLS} FROM placements WHERE status NOT IN ('cancelled', 'completed') AND ends_on >= $1
         ORDER BY starts_on, id"
    );
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(from).fetch_all(c).await)?,
    )
}

/// The placements matching `condition` (a fixed SQL condition over `$1` and `$2`, two days;
/// never user text), soonest first. For the dashboard's few derived counts (`db::dashboard`).
pub(super) async fn where_status(
    tx: &mut Tx,
    condition: &str,
    first: NaiveDate,
    second: NaiveDate,
) -> DbResult<Vec<PlacementRow>> {
    let sql = format!("SELECT {COLS} FROM placements WHERE {condition} ORDER BY starts_on, id");
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(first).bind(second).fetch_all(c).await)?,
    )
}

//! Placement requests: what a school asks for.
use super::{DbResult, Page, Paged, Scope, Tx, paged};
pub use crate::domain::records::{Course, FacultySupervisor, PlacementRequest, Preference, Shift};
use crate::on_tx;
use chrono::{DateTime, NaiveDate, Utc};

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    kind: String,
    school_id: String,
    program_id: String,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    hours_per_week: i64,
    slots: i64,
    shifts_json: String,
    start_window_weeks: i64,
    together: bool,
    notes: Option<String>,
    course_code: Option<String>,
    course_title: Option<String>,
    course_credits: Option<i64>,
    faculty_name: Option<String>,
    faculty_email: Option<String>,
    status: String,
    decision_reason: Option<String>,
    decided_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

const COLS: &str = "id, kind, school_id, program_id, starts_on, ends_on, hours_per_week, slots, shifts_json, start_window_weeks,
    together, notes, course_code, course_title, course_credits, faculty_name, faculty_email, status, decision_reason, decided_at, created_at";

async fn assemble(tx: &mut Tx, r: Row) -> DbResult<PlacementRequest> {
    let mut all = assemble_many(tx, vec![r]).await?;
    all.pop()
        .ok_or_else(|| super::DbError::Other(sqlx::Error::RowNotFound))
}

/// Requests with their named students and preferences: three queries for a page, not two
/// a request.
async fn assemble_many(tx: &mut Tx, rows: Vec<Row>) -> DbResult<Vec<PlacementRequest>> {
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let students: Vec<(String, String)> = super::fetch_in(
        tx,
        "SELECT request_id, student_id FROM request_students WHERE request_id IN ({ids}) ORDER BY request_id, student_id",
        &ids,
    )
    .await?;
    let prefs: Vec<(String, String, Option<String>)> = super::fetch_in(
        tx,
        "SELECT request_id, site_id, department_id FROM request_preferences WHERE request_id IN ({ids}) ORDER BY request_id, rank",
        &ids,
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let mine = students
                .iter()
                .filter(|(id, _)| *id == r.id)
                .map(|(_, s)| (s.clone(),))
                .collect();
            let prefs = prefs
                .iter()
                .filter(|(id, ..)| *id == r.id)
                .map(|(_, site, dept)| (site.clone(), dept.clone()))
                .collect();
            build(r, mine, prefs)
        })
        .collect())
}

fn build(
    r: Row,
    students: Vec<(String,)>,
    prefs: Vec<(String, Option<String>)>,
) -> PlacementRequest {
    let course = match (r.course_code, r.course_title, r.course_credits) {
        (Some(code), Some(title), Some(credits)) => Some(Course {
            code,
            title,
            credits,
        }),
        _ => None,
    };
    let faculty_supervisor = match (r.faculty_name, r.faculty_email) {
        (Some(name), Some(email)) => Some(FacultySupervisor { name, email }),
        _ => None,
    };
    PlacementRequest {
        id: r.id,
        kind: r.kind,
        school_id: r.school_id,
        program_id: r.program_id,
        starts_on: r.starts_on,
        ends_on: r.ends_on,
        hours_per_week: r.hours_per_week,
        student_ids: students.into_iter().map(|s| s.0).collect(),
        slots: r.slots,
        preferences: prefs
            .into_iter()
            .map(|(site_id, department_id)| Preference {
                site_id,
                department_id,
            })
            .collect(),
        shifts: serde_json::from_str(&r.shifts_json).unwrap_or_default(),
        start_window_weeks: r.start_window_weeks,
        together: r.together,
        notes: r.notes,
        course,
        faculty_supervisor,
        status: r.status,
        decision_reason: r.decision_reason,
        decided_at: r.decided_at,
        created_at: r.created_at,
        eligibility: None,
        placements: None,
    }
}

#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub status: Option<String>,
    pub kind: Option<String>,
    pub school_id: Option<String>,
    pub discipline: Option<String>,
    pub site_id: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Submitted and waitlisted only.
    pub open: bool,
    /// Newest first instead of oldest first (ids are time-ordered).
    pub newest_first: bool,
    /// Of a program of this degree level.
    pub degree_level: Option<String>,
    /// Decided on or after the first instant, before the second (the turnaround report's
    /// days, UTC).
    pub decided_from: Option<chrono::DateTime<chrono::Utc>>,
    pub decided_before: Option<chrono::DateTime<chrono::Utc>>,
}

/// Binds the parameters of [`list_statement`], `$1` to `$14` in its order, to the query `$q`.
macro_rules! bind_page {
    ($q:expr, $scope:expr, $f:expr, $page:expr) => {
        $q.bind($page.after())
            .bind(&$f.school_id)
            .bind($scope.school())
            .bind(&$f.status)
            .bind(&$f.kind)
            .bind(&$f.discipline)
            .bind(&$f.site_id)
            .bind($f.from)
            .bind($f.to)
            .bind($f.open)
            .bind($page.fetch_limit())
            .bind(&$f.degree_level)
            .bind($f.decided_from)
            .bind($f.decided_before)
    };
}

/// Oldest first, so the queue is worked in the order requests came in; or newest first.
pub async fn list(
    tx: &mut Tx,
    scope: &Scope,
    f: &Filter,
    page: &Page,
) -> DbResult<Paged<PlacementRequest>> {
    if !matches!(scope, Scope::All | Scope::School(_)) {
        return Ok(Paged {
            items: vec![],
            next_cursor: None,
        });
    }
    let children = children_json(tx);
    let sql = list_statement(scope, f, &format!("{COLS}, {children}"));
    let rows: Vec<ListedRow> = on_tx!(tx, c => bind_page!(sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())), scope, f, page)
        .fetch_all(c).await)?;
    let p = paged(rows, page, |r| &r.row.id);
    Ok(Paged {
        items: p
            .items
            .into_iter()
            .map(|r| read_listed(r).map(|(request, _)| request))
            .collect::<DbResult<_>>()?,
        next_cursor: p.next_cursor,
    })
}

/// [`list`]'s page as each request's id and row tag (`placement_requests.row_tag`, migration
/// 0033: replaced by any write to the row, its named students or its preferences), in the
/// page's order; an open request (submitted, waitlisted) has no tag, for its answer holds its
/// live eligibility, which depends on other records. [`tagged`] reads the rest.
pub async fn list_tags(
    tx: &mut Tx,
    scope: &Scope,
    f: &Filter,
    page: &Page,
) -> DbResult<Paged<(String, Option<i64>)>> {
    if !matches!(scope, Scope::All | Scope::School(_)) {
        return Ok(Paged {
            items: vec![],
            next_cursor: None,
        });
    }
    let sql = list_statement(
        scope,
        f,
        "id, CASE WHEN status IN ('submitted', 'waitlisted') THEN NULL ELSE row_tag END AS row_tag",
    );
    let rows = crate::page_tags!(tx, sql.as_str(), q => bind_page!(q, scope, f, page))?;
    Ok(paged(rows, page, |(id, _)| id))
}

/// The requests with these ids, each with its named students, preferences and row tag (see
/// [`list_tags`]), in no order; an id with no request is left out. Eligibility is not read.
pub async fn tagged(tx: &mut Tx, ids: &[&str]) -> DbResult<Vec<(PlacementRequest, i64)>> {
    let children = children_json(tx);
    let rows: Vec<ListedRow> = super::fetch_in(
        tx,
        &format!(
            "SELECT {COLS}, row_tag, {children} FROM placement_requests r WHERE id IN ({{ids}})"
        ),
        ids,
    )
    .await?;
    rows.into_iter().map(read_listed).collect()
}

/// The list's statement selecting `columns` of `placement_requests r`: `$1` the cursor, `$2`
/// the school filter, `$3` the scope's school, `$4` the status, `$5` the kind, `$6` the
/// discipline, `$7` the site, `$8` and `$9` the days, `$10` open only, `$11` the limit, `$12`
/// the degree level, `$13` and `$14` the decision's instants.
fn list_statement(scope: &Scope, f: &Filter, columns: &str) -> String {
    let (after, order) = if f.newest_first {
        ("($1 = '' OR id < $1)", "DESC")
    } else {
        ("id > $1", "ASC")
    };
    // A status or a school is compared only when given (`status = $4`, not `$4 IS NULL OR
    // status = $4`): SQLite plans a statement once, and only the plain comparison lets it read
    // one status's or school's requests from their index (migration 0031) instead of walking
    // every request in id order and asking each. Each form names every parameter.
    let school = if f.school_id.is_some() {
        "school_id = $2"
    } else {
        "$2 IS NULL"
    };
    let school_scope = if scope.school().is_some() {
        "school_id = $3"
    } else {
        "$3 IS NULL"
    };
    let status = if f.status.is_some() {
        "status = $4"
    } else {
        "$4 IS NULL"
    };
    format!(
        "SELECT {columns} FROM placement_requests r WHERE {after} AND {school} AND {school_scope}
         AND {status} AND ($5 IS NULL OR kind = $5)
         AND ($6 IS NULL OR EXISTS (SELECT 1 FROM programs p WHERE p.id = r.program_id AND p.discipline = $6))
         AND ($7 IS NULL OR EXISTS (SELECT 1 FROM request_preferences x WHERE x.request_id = r.id AND x.site_id = $7))
         AND ($8 IS NULL OR ends_on >= $8) AND ($9 IS NULL OR starts_on <= $9)
         AND ($10 = FALSE OR status IN ('submitted', 'waitlisted'))
         AND ($12 IS NULL OR EXISTS (SELECT 1 FROM programs p WHERE p.id = r.program_id AND p.degree_level = $12))
         AND ($13 IS NULL OR (decided_at IS NOT NULL AND decided_at >= $13))
         AND ($14 IS NULL OR (decided_at IS NOT NULL AND decided_at < $14))
         ORDER BY id {order} LIMIT $11"
    )
}

/// A listed row as its request (named students and preferences from their JSON columns) and
/// row tag (0 where the statement did not read it).
fn read_listed(r: ListedRow) -> DbResult<(PlacementRequest, i64)> {
    // Ids only, so the JSON form carries them exactly; a store that answered something else
    // fails the page rather than showing a request without its students.
    let students: Vec<String> = serde_json::from_str(&r.students_json)
        .map_err(|e| super::DbError::Other(sqlx::Error::Decode(e.into())))?;
    let prefs: Vec<(String, Option<String>)> = serde_json::from_str(&r.preferences_json)
        .map_err(|e| super::DbError::Other(sqlx::Error::Decode(e.into())))?;
    Ok((
        build(r.row, students.into_iter().map(|s| (s,)).collect(), prefs),
        r.row_tag,
    ))
}

/// A row of a list's page: the request with its named students (ids, in id order) and its
/// preferences (`[site_id, department_id]`, in rank order) as JSON arrays, so the page is one
/// statement ([`assemble_many`]'s order), and its row tag when the statement reads it.
#[derive(sqlx::FromRow)]
struct ListedRow {
    #[sqlx(flatten)]
    row: Row,
    #[sqlx(default)]
    row_tag: i64,
    students_json: String,
    preferences_json: String,
}

/// [`ListedRow`]'s two JSON columns in this store's dialect.
fn children_json(tx: &Tx) -> &'static str {
    match tx {
        Tx::Sqlite(_) => CHILDREN_AS_JSON_SQLITE,
        Tx::Postgres(_) => CHILDREN_AS_JSON_POSTGRES,
    }
}

/// [`ListedRow`]'s two JSON columns, the request as `r`: SQLite's form (3.44's ordered
/// aggregates).
const CHILDREN_AS_JSON_SQLITE: &str = "(SELECT json_group_array(x.student_id ORDER BY x.student_id)
         FROM request_students x WHERE x.request_id = r.id) AS students_json,
     (SELECT json_group_array(json_array(x.site_id, x.department_id) ORDER BY x.rank)
         FROM request_preferences x WHERE x.request_id = r.id) AS preferences_json";

/// [`CHILDREN_AS_JSON_SQLITE`] in PostgreSQL's form.
const CHILDREN_AS_JSON_POSTGRES: &str = "(SELECT COALESCE(json_agg(x.student_id ORDER BY x.student_id), '[]'::json)::text
         FROM request_students x WHERE x.request_id = r.id) AS students_json,
     (SELECT COALESCE(json_agg(json_build_array(x.site_id, x.department_id) ORDER BY x.rank), '[]'::json)::text
         FROM request_preferences x WHERE x.request_id = r.id) AS preferences_json";

/// Requests per status in scope.
pub async fn counts(tx: &mut Tx, scope: &Scope) -> DbResult<Vec<(String, i64)>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT status, COUNT(*) FROM placement_requests WHERE ($1 IS NULL OR school_id = $1) GROUP BY status ORDER BY status")
        .bind(scope.school()).fetch_all(c).await)?)
}

pub async fn get(tx: &mut Tx, id: &str) -> DbResult<Option<PlacementRequest>> {
    let sql = format!("SELECT {COLS} FROM placement_requests WHERE id = $1");
    let row: Option<Row> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(id).fetch_optional(c).await)?;
    match row {
        Some(r) => Ok(Some(assemble(tx, r).await?)),
        None => Ok(None),
    }
}

pub async fn insert(tx: &mut Tx, r: &PlacementRequest, submitted_by: &str) -> DbResult<()> {
    let shifts = serde_json::to_string(&r.shifts).unwrap_or_else(|_| "[]".into());
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO placement_requests (id, kind, school_id, program_id, starts_on, ends_on, hours_per_week, slots, shifts_json,
           start_window_weeks, together, notes, course_code, course_title, course_credits, faculty_name, faculty_email, status,
           submitted_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)")
        .bind(&r.id).bind(&r.kind).bind(&r.school_id).bind(&r.program_id).bind(r.starts_on).bind(r.ends_on)
        .bind(r.hours_per_week).bind(r.slots).bind(&shifts).bind(r.start_window_weeks).bind(r.together).bind(&r.notes)
        .bind(r.course.as_ref().map(|c| c.code.clone())).bind(r.course.as_ref().map(|c| c.title.clone()))
        .bind(r.course.as_ref().map(|c| c.credits))
        .bind(r.faculty_supervisor.as_ref().map(|f| f.name.clone())).bind(r.faculty_supervisor.as_ref().map(|f| f.email.clone()))
        .bind(&r.status).bind(submitted_by).bind(r.created_at)
        .execute(c).await.map(|r| r.rows_affected()))?;
    set_students(tx, &r.id, &r.student_ids).await?;
    for (rank, p) in r.preferences.iter().enumerate() {
        on_tx!(tx, c => sqlx::query("INSERT INTO request_preferences (request_id, rank, site_id, department_id) VALUES ($1, $2, $3, $4)")
            .bind(&r.id).bind(rank as i64 + 1).bind(&p.site_id).bind(&p.department_id).execute(c).await.map(|r| r.rows_affected()))?;
    }
    Ok(())
}

pub async fn set_students(tx: &mut Tx, id: &str, student_ids: &[String]) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM request_students WHERE request_id = $1").bind(id).execute(c).await.map(|r| r.rows_affected()))?;
    for s in student_ids {
        on_tx!(tx, c => sqlx::query("INSERT INTO request_students (request_id, student_id) VALUES ($1, $2)")
            .bind(id).bind(s).execute(c).await.map(|r| r.rows_affected()))?;
    }
    Ok(())
}

pub async fn set_slots(tx: &mut Tx, id: &str, slots: i64) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("UPDATE placement_requests SET slots = $2 WHERE id = $1").bind(id).bind(slots).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn set_status(
    tx: &mut Tx,
    id: &str,
    status: &str,
    reason: Option<&str>,
    at: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("UPDATE placement_requests SET status = $2, decision_reason = $3, decided_at = $4 WHERE id = $1")
        .bind(id).bind(status).bind(reason).bind(at).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Locks the request's row until commit on PostgreSQL (SQLite's write transaction already
/// excludes other writers), so two decisions — or a decision and a withdrawal — on one
/// request cannot both find it open. Taken before any capacity guard, never after.
pub async fn lock(tx: &mut Tx, id: &str) -> DbResult<()> {
    if let Tx::Postgres(t) = tx {
        sqlx::query("SELECT id FROM placement_requests WHERE id = $1 FOR UPDATE")
            .bind(id)
            .fetch_optional(&mut **t)
            .await?;
    }
    Ok(())
}

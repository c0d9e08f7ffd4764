use super::search::{self, Searchable};
use super::{DbResult, Page, Paged, Scope, Tx, like, paged};
use crate::on_tx;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Leave {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Staff {
    pub id: String,
    pub name: String,
    pub email: String,
    pub department_id: String,
    pub discipline: Option<String>,
    pub credential: Option<String>,
    pub license_number: Option<String>,
    pub license_expires_on: Option<NaiveDate>,
    pub is_preceptor: bool,
    pub max_students: i64,
    #[sqlx(skip)]
    pub leave: Vec<Leave>,
    /// In a write's answer only, when there are any: the open placements depending on this
    /// record that are at risk after the write (API.md "Risks").
    #[sqlx(skip)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub affected_placements: Option<Vec<crate::domain::risk::AffectedPlacement>>,
}

impl Staff {
    /// What the decision and risk rules read of a preceptor (`domain::decision`): their
    /// licence, discipline, slots and leave, with `held`, the periods of the placements they
    /// already supervise that count against them.
    pub fn preceptor_facts(
        &self,
        held: Vec<crate::domain::period::Period>,
    ) -> crate::domain::decision::PreceptorFacts {
        crate::domain::decision::PreceptorFacts {
            id: self.id.clone(),
            name: self.name.clone(),
            is_preceptor: self.is_preceptor,
            discipline: self.discipline.clone(),
            department_id: self.department_id.clone(),
            license_expires_on: self.license_expires_on,
            leave: self
                .leave
                .iter()
                .filter_map(|l| crate::domain::period::Period::new(l.starts_on, l.ends_on))
                .collect(),
            max_students: self.max_students,
            held,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub department_id: Option<String>,
    pub discipline: Option<String>,
    pub is_preceptor: Option<bool>,
    pub q: Option<String>,
}

const COLS: &str = "id, name, email, department_id, discipline, credential, license_number, license_expires_on, is_preceptor, max_students";

/// The list page's sortable columns (key, SQL expression).
const SORT_KEYS: &[(&str, &str)] = &[
    ("name", "LOWER(name)"),
    (
        "department",
        "(SELECT LOWER(t.name || ' ' || d.name) FROM departments d JOIN sites t ON t.id = d.site_id WHERE d.id = staff.department_id)",
    ),
    ("discipline", "discipline"),
    ("students", "max_students"),
    ("licence", "license_expires_on"),
];

pub async fn list(tx: &mut Tx, scope: &Scope, f: &Filter, page: &Page) -> DbResult<Paged<Staff>> {
    if !scope.is_all() {
        return Ok(Paged {
            items: vec![],
            next_cursor: None,
        });
    }
    let sql = format!(
        "SELECT {COLS} FROM staff WHERE id > $1 AND ($2 IS NULL OR department_id = $2) AND ($3 IS NULL OR discipline = $3)
         AND ($4 IS NULL OR is_preceptor = $4) AND ($5 IS NULL OR search LIKE $5 ESCAPE '\\')
         {}",
        page.order_by(SORT_KEYS, 6)
    );
    let mut rows: Vec<Staff> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(page.after()).bind(&f.department_id).bind(&f.discipline).bind(f.is_preceptor).bind(like(&f.q))
        .bind(page.fetch_limit())
        .fetch_all(c).await)?;
    for s in &mut rows {
        s.leave = leave_of(tx, &s.id).await?;
    }
    Ok(paged(rows, page, |s| &s.id))
}

pub async fn names(tx: &mut Tx) -> DbResult<Vec<(String, String)>> {
    Ok(
        on_tx!(tx, c => sqlx::query_as("SELECT id, name FROM staff ORDER BY name").fetch_all(c).await)?,
    )
}

pub async fn get(tx: &mut Tx, id: &str) -> DbResult<Option<Staff>> {
    let sql = format!("SELECT {COLS} FROM staff WHERE id = $1");
    let row: Option<Staff> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(id).fetch_optional(c).await)?;
    match row {
        Some(mut s) => {
            s.leave = leave_of(tx, &s.id).await?;
            Ok(Some(s))
        }
        None => Ok(None),
    }
}

/// The staff members with these ids (those that exist) with their leave, in two queries.
pub async fn get_many(tx: &mut Tx, ids: &[&str]) -> DbResult<Vec<Staff>> {
    let mut rows: Vec<Staff> = super::fetch_in(
        tx,
        &format!("SELECT {COLS} FROM staff WHERE id IN ({{ids}})"),
        ids,
    )
    .await?;
    let leave: Vec<(String, NaiveDate, NaiveDate)> = super::fetch_in(
        tx,
        "SELECT staff_id, starts_on, ends_on FROM staff_leave WHERE staff_id IN ({ids}) ORDER BY staff_id, starts_on",
        ids,
    )
    .await?;
    for s in &mut rows {
        s.leave = leave
            .iter()
            .filter(|(id, ..)| *id == s.id)
            .map(|(_, starts_on, ends_on)| Leave {
                starts_on: *starts_on,
                ends_on: *ends_on,
            })
            .collect();
    }
    Ok(rows)
}

async fn leave_of(tx: &mut Tx, id: &str) -> DbResult<Vec<Leave>> {
    Ok(
        on_tx!(tx, c => sqlx::query_as("SELECT starts_on, ends_on FROM staff_leave WHERE staff_id = $1 ORDER BY starts_on")
        .bind(id).fetch_all(c).await)?,
    )
}

pub async fn insert(tx: &mut Tx, s: &Staff) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO staff (id, name, email, department_id, discipline, credential, license_number, license_expires_on,
         is_preceptor, max_students) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
        .bind(&s.id).bind(&s.name).bind(&s.email).bind(&s.department_id).bind(&s.discipline).bind(&s.credential)
        .bind(&s.license_number).bind(s.license_expires_on).bind(s.is_preceptor).bind(s.max_students)
        .execute(c).await.map(|r| r.rows_affected()))?;
    search::refresh(tx, Searchable::Staff, &s.id).await?;
    set_leave(tx, &s.id, &s.leave).await
}

pub async fn update(tx: &mut Tx, s: &Staff) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE staff SET name = $2, email = $3, department_id = $4, discipline = $5, credential = $6, license_number = $7,
         license_expires_on = $8, is_preceptor = $9, max_students = $10 WHERE id = $1")
        .bind(&s.id).bind(&s.name).bind(&s.email).bind(&s.department_id).bind(&s.discipline).bind(&s.credential)
        .bind(&s.license_number).bind(s.license_expires_on).bind(s.is_preceptor).bind(s.max_students)
        .execute(c).await.map(|r| r.rows_affected()))?;
    search::refresh(tx, Searchable::Staff, &s.id).await?;
    set_leave(tx, &s.id, &s.leave).await
}

async fn set_leave(tx: &mut Tx, id: &str, leave: &[Leave]) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM staff_leave WHERE staff_id = $1").bind(id).execute(c).await.map(|r| r.rows_affected()))?;
    for l in leave {
        on_tx!(tx, c => sqlx::query("INSERT INTO staff_leave (staff_id, starts_on, ends_on) VALUES ($1, $2, $3)")
            .bind(id).bind(l.starts_on).bind(l.ends_on).execute(c).await.map(|r| r.rows_affected()))?;
    }
    Ok(())
}

//! What a placement's clearance and risks are derived from, read for many placements at once:
//! one query per kind of record (programs, departments, staff, agreements, students, documents,
//! the requirement rules, the open placements of the students, departments and preceptors
//! involved, on the days the placements span) instead of a dozen per placement: a page of 50
//! placements reads about 15 queries, not 400. The single-placement reads
//! (`risks::live_facts`, `placements::clearance_of`) come through here too, so a list and a
//! single read cannot derive differently.
use crate::db::{
    self, Tx,
    agreements::Agreement,
    departments::Department,
    documents::Document,
    placements::{DependsOnAny, Overlap, PlacementRow},
    programs::Program,
    requirements::Requirement,
    staff::Staff,
    students::Student,
    users::User,
};
use crate::domain::{
    booking::Booking,
    clearance::{self, Clearance},
    decision::{DepartmentFacts, ProposedPlacement, Supervisor},
    eligibility::{AgreementFacts, Kind, ProgramFacts},
    period::Period,
    requirements::PlacementFacts,
    risk::LiveFacts,
};
use chrono::NaiveDate;
use std::collections::HashMap;

/// The records a set of placements depend on, keyed by id.
#[derive(Default)]
pub struct Facts {
    programs: HashMap<String, Program>,
    departments: HashMap<String, Department>,
    staff: HashMap<String, Staff>,
    users: HashMap<String, User>,
    students: HashMap<String, Student>,
    /// Per school, in `db::agreements::of_school`'s order.
    agreements: HashMap<String, Vec<Agreement>>,
    /// Per student, in `db::documents::of_student`'s order.
    documents: HashMap<String, Vec<Document>>,
    rules: Vec<Requirement>,
    /// Open placements per student, department and preceptor, in `open_depending_on`'s order.
    open_by_student: HashMap<String, Vec<PlacementRow>>,
    open_by_department: HashMap<String, Vec<PlacementRow>>,
    open_by_preceptor: HashMap<String, Vec<PlacementRow>>,
    /// Read by [`Facts::load_stored`] instead of the two above: per placement, the open
    /// placements overlapping its days in its department and with its preceptor.
    overlaps: Option<Overlaps>,
}

/// Per placement id, the overlapping open placements (`db::placements::overlapping_open`).
#[derive(Default)]
struct Overlaps {
    department: HashMap<String, Vec<Overlap>>,
    preceptor: HashMap<String, Vec<Overlap>>,
}

fn by_id<T>(rows: Vec<T>, id: impl Fn(&T) -> &str) -> HashMap<String, T> {
    rows.into_iter().map(|r| (id(&r).to_string(), r)).collect()
}

fn grouped<T>(rows: Vec<T>, key: impl Fn(&T) -> Option<&str>) -> HashMap<String, Vec<T>> {
    let mut out: HashMap<String, Vec<T>> = HashMap::new();
    for r in rows {
        if let Some(k) = key(&r).map(str::to_string) {
            out.entry(k).or_default().push(r);
        }
    }
    out
}

/// The days `rows` span, first to last: only placements overlapping one of them can hold a
/// seat or slot ahead of it, or be booked on its days.
fn span(rows: &[PlacementRow]) -> (chrono::NaiveDate, chrono::NaiveDate) {
    let from = rows.iter().map(|r| r.starts_on).min().unwrap_or_default();
    let to = rows.iter().map(|r| r.ends_on).max().unwrap_or_default();
    (from, to)
}

/// The open placements depending on any of `ids` (one kind of record) and overlapping
/// `days`, grouped by `key` (`db::placements::open_depending_on_any`).
async fn open_grouped(
    tx: &mut Tx,
    on: DependsOnAny,
    ids: &[&str],
    days: (chrono::NaiveDate, chrono::NaiveDate),
    key: fn(&PlacementRow) -> Option<&str>,
) -> db::DbResult<HashMap<String, Vec<PlacementRow>>> {
    let rows = db::placements::open_depending_on_any(tx, on, ids, days.0, days.1).await?;
    Ok(grouped(rows, key))
}

/// Came before `row`: holds its seat or slot ahead of it when capacity drops.
fn before(other: &PlacementRow, row: &PlacementRow) -> bool {
    (other.created_at, &other.id) < (row.created_at, &row.id)
}

impl Facts {
    /// Reads what `rows` depend on; `more_students` are students about to be named on them.
    /// The seats and slots held ahead of each row are read as every open placement of its
    /// department and preceptor over the rows' whole span (what a write's check needs).
    pub async fn load(
        tx: &mut Tx,
        rows: &[PlacementRow],
        more_students: &[&str],
    ) -> db::DbResult<Facts> {
        let mut facts = Facts::load_common(tx, rows, more_students).await?;
        if rows.is_empty() {
            return Ok(facts);
        }
        let (from, to) = span(rows);
        let departments: Vec<&str> = rows.iter().map(|r| r.department_id.as_str()).collect();
        let preceptors: Vec<&str> = rows
            .iter()
            .filter_map(|r| r.preceptor_id.as_deref())
            .collect();
        facts.open_by_department = open_grouped(
            tx,
            DependsOnAny::Department,
            &departments,
            (from, to),
            |p| Some(&p.department_id),
        )
        .await?;
        facts.open_by_preceptor =
            open_grouped(tx, DependsOnAny::Preceptor, &preceptors, (from, to), |p| {
                p.preceptor_id.as_deref()
            })
            .await?;
        Ok(facts)
    }

    /// What every reader of `rows` needs: their programs, departments, preceptors, faculty,
    /// students (with `more_students`), agreements, documents, the rules, and the students'
    /// open placements over the rows' span. Not the seats and slots held ahead of each row,
    /// which [`Facts::load`] and [`Facts::load_stored`] read each their own way.
    async fn load_common(
        tx: &mut Tx,
        rows: &[PlacementRow],
        more_students: &[&str],
    ) -> db::DbResult<Facts> {
        if rows.is_empty() {
            return Ok(Facts::default());
        }
        let ids = |f: fn(&PlacementRow) -> Option<&str>| -> Vec<&str> {
            rows.iter().filter_map(f).collect()
        };
        let programs = ids(|r| Some(r.program_id.as_str()));
        let departments = ids(|r| Some(r.department_id.as_str()));
        let schools = ids(|r| Some(r.school_id.as_str()));
        let preceptors = ids(|r| r.preceptor_id.as_deref());
        let users = ids(|r| r.faculty_user_id.as_deref());
        let mut students = ids(|r| r.student_id.as_deref());
        students.extend_from_slice(more_students);
        let (from, to) = span(rows);
        Ok(Facts {
            programs: by_id(db::programs::get_many(tx, &programs).await?, |p| &p.id),
            departments: by_id(db::departments::get_many(tx, &departments).await?, |d| {
                &d.id
            }),
            staff: by_id(db::staff::get_many(tx, &preceptors).await?, |s| &s.id),
            users: by_id(db::users::get_many(tx, &users).await?, |u| &u.id),
            students: by_id(db::students::get_many(tx, &students).await?, |s| &s.id),
            agreements: grouped(db::agreements::of_schools(tx, &schools).await?, |a| {
                Some(&a.school_id)
            }),
            documents: grouped(db::documents::of_students(tx, &students).await?, |d| {
                Some(&d.student_id)
            }),
            rules: db::requirements::all(tx).await?,
            open_by_student: open_grouped(tx, DependsOnAny::Student, &students, (from, to), |p| {
                p.student_id.as_deref()
            })
            .await?,
            open_by_department: HashMap::new(),
            open_by_preceptor: HashMap::new(),
            overlaps: None,
        })
    }

    /// As [`Facts::load`], for placements as they are stored (a list's page): the seats and
    /// slots held ahead of each are read as the open placements overlapping its own days
    /// (`db::placements::overlapping_open`), not as every open placement of its department
    /// and preceptor over the page's whole span.
    pub async fn load_stored(tx: &mut Tx, rows: &[PlacementRow]) -> db::DbResult<Facts> {
        let mut facts = Facts::load_common(tx, rows, &[]).await?;
        // Only an open placement has risks to check (`risks::risks_of_many`).
        let ids: Vec<&str> = rows
            .iter()
            .filter(|r| !matches!(r.status.as_str(), "cancelled" | "completed"))
            .map(|r| r.id.as_str())
            .collect();
        let mut overlaps = Overlaps::default();
        for (on, map) in [
            (DependsOnAny::Department, &mut overlaps.department),
            (DependsOnAny::Preceptor, &mut overlaps.preceptor),
        ] {
            for o in db::placements::overlapping_open(tx, on, &ids).await? {
                map.entry(o.0.clone()).or_default().push(o);
            }
        }
        facts.overlaps = Some(overlaps);
        Ok(facts)
    }

    /// The faculty supervisor's user record, if any.
    pub fn user(&self, id: &str) -> Option<&User> {
        self.users.get(id)
    }

    /// What the clearance of `row` is derived from (`None`: no student named yet).
    pub fn clearance_facts(
        &self,
        row: &PlacementRow,
    ) -> Option<(
        PlacementFacts,
        Vec<clearance::Rule>,
        Vec<clearance::Evidence>,
    )> {
        let student_id = row.student_id.as_deref()?;
        let facts = PlacementFacts {
            id: row.id.clone(),
            kind: row.kind.clone(),
            discipline: self
                .programs
                .get(&row.program_id)
                .map(|p| p.discipline.clone())
                .unwrap_or_default(),
            site_id: self
                .departments
                .get(&row.department_id)
                .map(|d| d.site_id.clone())
                .unwrap_or_default(),
            department_id: row.department_id.clone(),
            starts_on: row.starts_on,
            ends_on: row.ends_on,
        };
        let rules = self
            .rules
            .iter()
            .filter(|r| r.active)
            .map(|r| clearance::Rule {
                code: r.code.clone(),
                validity: r.validity,
                applies_to: r.applies_to.clone(),
            })
            .collect();
        let evidence = self
            .documents
            .get(student_id)
            .into_iter()
            .flatten()
            .filter_map(|d| {
                Some(clearance::Evidence {
                    status: clearance::DocStatus::parse(&d.status)?,
                    requirement_code: d.requirement_code.clone(),
                    completed_on: d.completed_on,
                    expires_on: d.expires_on,
                    placement_id: d.placement_id.clone(),
                })
            })
            .collect();
        Some((facts, rules, evidence))
    }

    /// The clearance of `row` today.
    pub fn clearance(&self, row: &PlacementRow, today: NaiveDate) -> Clearance {
        clearance::of_placement(self.clearance_facts(row), today)
    }

    /// Everything `row` depends on; `student_id` is the student it has or is to have.
    pub fn live_facts(&self, row: &PlacementRow, student_id: Option<&str>) -> LiveFacts {
        let period = Period {
            starts_on: row.starts_on,
            ends_on: row.ends_on,
        };
        // Borrowed, never cloned: a department's open placements are read once for a page and
        // looked through for each of its rows.
        fn open<'a>(map: &'a HashMap<String, Vec<PlacementRow>>, id: &str) -> &'a [PlacementRow] {
            map.get(id).map(Vec::as_slice).unwrap_or_default()
        }
        // The seats and slots held ahead of this placement, on its days.
        let held_before = |rows: &[PlacementRow]| -> Vec<Period> {
            rows.iter()
                .filter(|o| o.id != row.id && before(o, row))
                .filter_map(|o| Period::new(o.starts_on, o.ends_on))
                .filter(|p| p.overlaps(&period))
                .collect()
        };
        let (student, bookings) = match student_id {
            None => (None, vec![]),
            Some(sid) => (
                self.students.get(sid).cloned().map(Student::facts),
                open(&self.open_by_student, sid)
                    .iter()
                    .filter(|o| o.id != row.id)
                    .filter_map(|o| {
                        Period::new(o.starts_on, o.ends_on).map(|period| Booking {
                            placement_id: o.id.clone(),
                            period,
                        })
                    })
                    .collect(),
            ),
        };
        // Read for this placement's days alone (`load_stored`), or picked from every open one.
        let held_overlapping = |by: &HashMap<String, Vec<Overlap>>| -> Vec<Period> {
            by.get(&row.id)
                .into_iter()
                .flatten()
                .filter(|(_, id, created_at, ..)| (*created_at, id) < (row.created_at, &row.id))
                .filter_map(|(.., starts_on, ends_on)| Period::new(*starts_on, *ends_on))
                .collect()
        };
        let department = self
            .departments
            .get(&row.department_id)
            .map(|d| DepartmentFacts {
                held: match &self.overlaps {
                    Some(o) => held_overlapping(&o.department),
                    None => held_before(open(&self.open_by_department, &d.id)),
                },
                id: d.id.clone(),
                name: d.name.clone(),
                capacity: d.capacity,
                disciplines: d.disciplines.clone(),
            });
        let preceptor = match &row.preceptor_id {
            None => Supervisor::None,
            Some(pid) => match self.staff.get(pid) {
                None => Supervisor::Unknown,
                Some(s) => Supervisor::Known(s.preceptor_facts(match &self.overlaps {
                    Some(o) => held_overlapping(&o.preceptor),
                    None => held_before(open(&self.open_by_preceptor, pid)),
                })),
            },
        };
        LiveFacts {
            kind: Kind::parse(&row.kind).unwrap_or(Kind::Clinical),
            school_id: row.school_id.clone(),
            period,
            program: self.programs.get(&row.program_id).map(|p| ProgramFacts {
                id: p.id.clone(),
                school_id: p.school_id.clone(),
                discipline: p.discipline.clone(),
                accredited_until: p.accredited_until,
            }),
            agreements: self
                .agreements
                .get(&row.school_id)
                .into_iter()
                .flatten()
                .map(|a| AgreementFacts {
                    status: a.status.clone(),
                    effective_on: a.effective_on,
                    expires_on: a.expires_on,
                    disciplines: a.disciplines.clone(),
                })
                .collect(),
            student,
            placement: ProposedPlacement {
                starts_on: row.starts_on,
                ends_on: row.ends_on,
                department,
                preceptor,
                site_mentor_known: None,
            },
            bookings,
        }
    }
}

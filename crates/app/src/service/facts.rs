//! What a placement's clearance and risks are derived from, read for many placements at once:
//! one query per kind of record (programs, departments, staff, agreements, students, documents,
//! the requirement rules, the open placements of the students, departments and preceptors
//! involved, on the days the placements span) instead of a dozen per placement: a page of 50
//! placements reads about 15 queries, not 400. The single-placement reads
//! (`risks::live_facts`, `placements::clearance_of`) come through here too, so a list and a
//! single read cannot derive differently.
use crate::db::facts_kept::{KeptFacts, grouped, open_grouped, open_kept, students_and_evidence};
use crate::db::{
    self, Tx,
    agreements::Agreement,
    departments::Department,
    documents::EvidenceRow,
    placements::{DependsOnAny, Held, PlacementRow},
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
use std::sync::Arc;

/// The records a set of placements depend on, keyed by id.
#[derive(Default)]
pub struct Facts {
    programs: HashMap<String, Program>,
    departments: HashMap<String, Department>,
    staff: HashMap<String, Staff>,
    users: HashMap<String, User>,
    students: HashMap<String, Arc<Student>>,
    /// Per school, in `db::agreements::of_school`'s order.
    agreements: HashMap<String, Vec<Agreement>>,
    /// Per student, in `db::documents::of_student`'s order.
    evidence: HashMap<String, Arc<Vec<EvidenceRow>>>,
    rules: Vec<Requirement>,
    /// Open placements per student, department and preceptor, in `starts_on, id` order
    /// (`db::placements::open_held_by_any`): over the rows' span ([`Facts::load`]), or all of
    /// them, kept per record ([`Facts::load_stored`]).
    open_by_student: OpenBy,
    open_by_department: OpenBy,
    open_by_preceptor: OpenBy,
    /// Read by [`Facts::load_stored`] with nothing kept, instead of the two above: per
    /// placement id, the open placements overlapping its own days in its department and with
    /// its preceptor.
    overlapping: Option<Overlaps>,
}

/// Open placements by the id of the record they depend on.
type OpenBy = HashMap<String, Arc<Vec<Held>>>;

/// Per placement id, the open placements overlapping it (`db::placements::overlapping_open`).
#[derive(Default)]
struct Overlaps {
    department: HashMap<String, Vec<Held>>,
    preceptor: HashMap<String, Vec<Held>>,
}

fn by_id<T>(rows: Vec<T>, id: impl Fn(&T) -> &str) -> HashMap<String, T> {
    rows.into_iter().map(|r| (id(&r).to_string(), r)).collect()
}

/// The days `rows` span, first to last: only placements overlapping one of them can hold a
/// seat or slot ahead of it, or be booked on its days.
fn span(rows: &[PlacementRow]) -> (chrono::NaiveDate, chrono::NaiveDate) {
    let from = rows.iter().map(|r| r.starts_on).min().unwrap_or_default();
    let to = rows.iter().map(|r| r.ends_on).max().unwrap_or_default();
    (from, to)
}

/// The records of kind `on` that `rows` depend on (with repeats).
fn depended_on<'a>(rows: &[&'a PlacementRow], on: DependsOnAny) -> Vec<&'a str> {
    rows.iter()
        .filter_map(|r| match on {
            DependsOnAny::Student => r.student_id.as_deref(),
            DependsOnAny::Department => Some(r.department_id.as_str()),
            DependsOnAny::Preceptor => r.preceptor_id.as_deref(),
        })
        .collect()
}

/// Came before `row`: holds its seat or slot ahead of it when capacity drops.
fn before(other: &Held, row: &PlacementRow) -> bool {
    (other.created_at, &other.id) < (row.created_at, &row.id)
}

impl Facts {
    /// Reads what `rows` depend on; `more_students` are students about to be named on them.
    /// The seats and slots held ahead of each row are read as every open placement of its
    /// department and preceptor over the rows' whole span, as the store holds them now (what
    /// a write's check needs: nothing kept).
    pub async fn load(
        tx: &mut Tx,
        rows: &[PlacementRow],
        more_students: &[&str],
    ) -> db::DbResult<Facts> {
        let mut facts = Facts::load_common(tx, rows, more_students, None).await?;
        if rows.is_empty() {
            return Ok(facts);
        }
        let days = Some(span(rows));
        let rows: Vec<&PlacementRow> = rows.iter().collect();
        for (on, map) in facts.open_maps() {
            let mut ids = depended_on(&rows, on);
            if on == DependsOnAny::Student {
                ids.extend_from_slice(more_students);
            }
            *map = open_grouped(tx, on, &ids, days).await?;
        }
        Ok(facts)
    }

    /// What every reader of `rows` needs: their programs, departments, preceptors, faculty,
    /// students (with `more_students`), agreements, documents and the rules. Not the open
    /// placements they are checked against, which [`Facts::load`] and
    /// [`Facts::load_stored`] read each their own way.
    async fn load_common(
        tx: &mut Tx,
        rows: &[PlacementRow],
        more_students: &[&str],
        kept: Option<KeptFacts<'_>>,
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
        let (students, evidence) = students_and_evidence(tx, &students, kept).await?;
        Ok(Facts {
            students,
            evidence,
            programs: by_id(db::programs::get_many(tx, &programs).await?, |p| &p.id),
            departments: by_id(db::departments::get_many(tx, &departments).await?, |d| {
                &d.id
            }),
            staff: by_id(db::staff::get_many(tx, &preceptors).await?, |s| &s.id),
            users: by_id(db::users::get_many(tx, &users).await?, |u| &u.id),
            agreements: grouped(db::agreements::of_schools(tx, &schools).await?, |a| {
                Some(&a.school_id)
            }),
            rules: db::requirements::all(tx).await?,
            open_by_student: HashMap::new(),
            open_by_department: HashMap::new(),
            open_by_preceptor: HashMap::new(),
            overlapping: None,
        })
    }

    /// As [`Facts::load`], for placements as they are stored (read without a write). With
    /// `kept` (a list read page after page, a list read whole): each student's record and
    /// documents, and the open placements of each open row's student, department and
    /// preceptor, are taken from `kept` or read (all days) and kept. Without (a lone page,
    /// such as a first page read again after each write): nothing is kept, and each row's
    /// seats and slots are read as the open placements overlapping its own days
    /// (`db::placements::overlapping_open`), fewer rows than its department's and preceptor's
    /// whole. Only an open placement has risks to check (`risks::risks_of_many`).
    pub async fn load_stored(
        tx: &mut Tx,
        rows: &[PlacementRow],
        kept: Option<KeptFacts<'_>>,
    ) -> db::DbResult<Facts> {
        let mut facts = Facts::load_common(tx, rows, &[], kept).await?;
        let open: Vec<&PlacementRow> = rows
            .iter()
            .filter(|r| !matches!(r.status.as_str(), "cancelled" | "completed"))
            .collect();
        if open.is_empty() {
            return Ok(facts);
        }
        let Some(kept) = kept else {
            let students = depended_on(&open, DependsOnAny::Student);
            facts.open_by_student =
                open_grouped(tx, DependsOnAny::Student, &students, Some(span(rows))).await?;
            let ids: Vec<&str> = open.iter().map(|r| r.id.as_str()).collect();
            let mut overlaps = Overlaps::default();
            for (on, map) in [
                (DependsOnAny::Department, &mut overlaps.department),
                (DependsOnAny::Preceptor, &mut overlaps.preceptor),
            ] {
                for o in db::placements::overlapping_open(tx, on, &ids).await? {
                    map.entry(o.placement_id).or_default().push(o.held);
                }
            }
            facts.overlapping = Some(overlaps);
            return Ok(facts);
        };
        for (on, map) in facts.open_maps() {
            *map = open_kept(tx, on, &depended_on(&open, on), kept).await?;
        }
        Ok(facts)
    }

    /// The open placements by student, department and preceptor, each with its kind.
    fn open_maps(&mut self) -> [(DependsOnAny, &mut OpenBy); 3] {
        [
            (DependsOnAny::Student, &mut self.open_by_student),
            (DependsOnAny::Department, &mut self.open_by_department),
            (DependsOnAny::Preceptor, &mut self.open_by_preceptor),
        ]
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
            .evidence
            .get(student_id)
            .map(|v| v.as_slice())
            .unwrap_or_default()
            .iter()
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
        // Borrowed, never cloned: a department's open placements are read once for a page (or
        // kept for many) and looked through for each of its rows.
        fn open<'a>(map: &'a HashMap<String, Arc<Vec<Held>>>, id: &str) -> &'a [Held] {
            map.get(id).map(|v| v.as_slice()).unwrap_or_default()
        }
        // The seats and slots held ahead of this placement, on its days.
        let held_before = |rows: &[Held]| -> Vec<Period> {
            rows.iter()
                .filter(|o| o.id != row.id && before(o, row))
                .filter_map(|o| Period::new(o.starts_on, o.ends_on))
                .filter(|p| p.overlaps(&period))
                .collect()
        };
        let (student, bookings) = match student_id {
            None => (None, vec![]),
            Some(sid) => (
                self.students
                    .get(sid)
                    .map(|s| Student::facts(s.as_ref().clone())),
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
        // Read for this placement's days alone, or picked from every open one.
        let overlapping = |by: fn(&Overlaps) -> &HashMap<String, Vec<Held>>| {
            self.overlapping
                .as_ref()
                .map(|o| by(o).get(&row.id).map(Vec::as_slice).unwrap_or_default())
        };
        let department = self
            .departments
            .get(&row.department_id)
            .map(|d| DepartmentFacts {
                held: held_before(
                    overlapping(|o| &o.department)
                        .unwrap_or_else(|| open(&self.open_by_department, &d.id)),
                ),
                id: d.id.clone(),
                name: d.name.clone(),
                capacity: d.capacity,
                disciplines: d.disciplines.clone(),
            });
        let preceptor = match &row.preceptor_id {
            None => Supervisor::None,
            Some(pid) => match self.staff.get(pid) {
                None => Supervisor::Unknown,
                Some(s) => Supervisor::Known(
                    s.preceptor_facts(held_before(
                        overlapping(|o| &o.preceptor)
                            .unwrap_or_else(|| open(&self.open_by_preceptor, pid)),
                    )),
                ),
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

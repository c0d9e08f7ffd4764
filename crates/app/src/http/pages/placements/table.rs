//! The placements table every role's pages use, and the names it shows (`Lookup`).
use super::*;

/// Names for the ids a placement table shows, read once per page.
pub struct Lookup {
    pub(super) students: Vec<(String, String)>,
    pub(super) departments: Vec<(String, String)>,
    pub(super) schools: Vec<(String, String)>,
    pub(super) staff: Vec<(String, String)>,
}

impl Lookup {
    pub async fn load(st: &AppState, rows: &[PlacementRow]) -> Result<Lookup, PageError> {
        let mut tx = st.db.read().await?;
        let mut students = Vec::new();
        for r in rows {
            if let Some(s) = &r.student_id
                && !students.iter().any(|(id, _): &(String, String)| id == s)
                && let Some(x) = db::students::get(&mut tx, s).await?
            {
                students.push((s.clone(), x.full_name()));
            }
        }
        Ok(Lookup {
            students,
            departments: db::departments::all_names(&mut tx).await?,
            schools: db::schools::all_names(&mut tx).await?,
            staff: db::staff::names(&mut tx).await?,
        })
    }

    pub(super) fn find(list: &[(String, String)], id: Option<&str>) -> String {
        id.and_then(|id| list.iter().find(|x| x.0 == id))
            .map(|x| x.1.clone())
            .unwrap_or_default()
    }

    pub fn department(&self, id: &str) -> String {
        Self::find(&self.departments, Some(id))
    }

    /// A staff member's name (a preceptor or site mentor), or empty.
    pub fn staff_member(&self, id: Option<&str>) -> String {
        Self::find(&self.staff, id)
    }

    pub fn student(&self, id: Option<&str>) -> String {
        if id.is_none() {
            "(to be named)".into()
        } else {
            Self::find(&self.students, id)
        }
    }
}

/// The placements table every role's pages use.
pub async fn table(
    st: &AppState,
    rows: &[PlacementRow],
    caption: &str,
) -> Result<Table, PageError> {
    let names = Lookup::load(st, rows).await?;
    let mut t = Table::new(
        caption,
        vec![
            "Student",
            "School",
            "Department",
            "Supervisor",
            "Period",
            "Status",
        ],
        "No placements.",
    );
    // Facts kept per record for a list read whole (a derived filter), not for a page: a
    // page's rows' overlapping placements are fewer than their departments' whole
    // (`Facts::load_stored`).
    let whole = rows.len() > crate::service::risks::FACTS_BATCH;
    let held = whole.then(|| st.kept_facts());
    let mut tx = st.db.read().await?;
    let mut views = Vec::with_capacity(rows.len());
    for batch in rows.chunks(crate::service::risks::FACTS_BATCH) {
        views.extend(
            crate::service::placements::views(&mut tx, held, batch.to_vec(), st.clock.today())
                .await?,
        );
    }
    for (r, v) in rows.iter().zip(views) {
        let supervisor = match (&r.preceptor_id, &v.faculty_supervisor) {
            (Some(p), _) => Lookup::find(&names.staff, Some(p)),
            (None, Some(f)) => f.name.clone(),
            _ => String::new(),
        };
        t.rows.push(vec![
            Cell::link(
                names.student(r.student_id.as_deref()),
                format!("/placements/{}", r.id),
            ),
            Cell::text(Lookup::find(&names.schools, Some(&r.school_id))),
            Cell::text(Lookup::find(&names.departments, Some(&r.department_id))),
            Cell::text(supervisor),
            Cell {
                text: format!("{} – {}", human_date(r.starts_on), human_date(r.ends_on)),
                csv: format!("{}/{}", r.starts_on, r.ends_on),
                ..Default::default()
            },
            badge(&v.status),
        ]);
    }
    Ok(t)
}

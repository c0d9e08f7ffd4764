//! The placements list: its filters, sorting and the table.
use super::*;

pub(super) async fn list(State(st): State<AppState>, user: PageUser, params: Params) -> PageResult {
    let scope = user.p.authorize(Resource::Placement, Action::Read)?;
    let page = list_page(&params)?;
    // The API's filters, read the same way (`input::placements::filter`): onboarding and
    // cleared are confirmed placements, split by their clearance (`derived`).
    let filter = crate::http::input::placements::filter(&params)?;
    let held = st.kept_facts();
    let mut tx = st.db.read().await?;
    let rows = crate::http::pages::placement_filters::rows(
        &st, &mut tx, held, &scope, &filter, page, &params,
    )
    .await?;
    let schools = db::schools::all_names(&mut tx).await?;
    let depts = db::departments::all_names(&mut tx).await?;
    let sites: Vec<(String, String)> = db::sites::all(&mut tx)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let disciplines: Vec<(String, String)> = db::disciplines::all(&mut tx)
        .await?
        .into_iter()
        .map(|d| (d.code, d.name))
        .collect();
    drop(tx);
    let mut table = table(&st, &rows.items, "Placements").await?;
    crate::http::pages::sortable(
        &mut table,
        &user,
        &params,
        &[
            (0, "student"),
            (1, "school"),
            (2, "department"),
            (3, "supervisor"),
            (4, "period"),
            (5, "status"),
        ],
    );
    let statuses: Vec<(String, String)> = [
        "proposed",
        "confirmed",
        "onboarding",
        "cleared",
        "active",
        "completed",
        "cancelled",
    ]
    .iter()
    .map(|s| {
        let words = match *s {
            "confirmed" => "confirmed (onboarding or cleared)".to_string(),
            s => s.to_string(),
        };
        (s.to_string(), words)
    })
    .collect();
    let mut filters = vec![filter_select("status", "Status", statuses, &params)];
    if scope.is_all() {
        filters.push(filter_select("school_id", "School", schools, &params));
        filters.push(filter_select("department_id", "Department", depts, &params));
        filters.push(filter_select("site_id", "Site", sites, &params));
        filters.push(filter_select(
            "discipline",
            "Discipline",
            disciplines,
            &params,
        ));
        filters.push(filter_select(
            "degree_level",
            "Degree level",
            crate::domain::directory::DegreeLevel::ALL
                .iter()
                .map(|d| (d.as_str().to_string(), d.label().to_string()))
                .collect(),
            &params,
        ));
        filters.push(filter_select(
            "placed",
            "Cancelled",
            vec![("true".into(), "Leave out the cancelled".into())],
            &params,
        ));
    }
    filters.push(filter_select(
        "kind",
        "Kind",
        vec![
            ("clinical".into(), "Clinical".into()),
            ("internship".into(), "Internship".into()),
        ],
        &params,
    ));
    filters.extend(crate::http::pages::placement_filters::fields(&params));
    filters.push(Field::new("from", "From", "date").value(params.get("from").unwrap_or_default()));
    filters.push(Field::new("to", "To", "date").value(params.get("to").unwrap_or_default()));
    let title = match user.p.role {
        crate::domain::Role::Student => "My placements",
        crate::domain::Role::Preceptor | crate::domain::Role::Faculty => "My students",
        _ => "Placements",
    };
    let page = ListPage {
        chrome: user.chrome(title),
        intro: "A confirmed placement reads \u{201c}onboarding\u{201d} until the student is cleared, then \u{201c}cleared\u{201d}.".into(),
        filters,
        table,
        actions: vec![],
        csv_href: String::new(),
        next_href: String::new(),
    };
    Ok(list_response(
        &user,
        &params,
        page,
        rows.next_cursor,
        "placements",
    ))
}

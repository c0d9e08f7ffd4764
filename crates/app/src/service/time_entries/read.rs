//! Reading entries and totals: one placement's, and the lists and counts across the caller's scope.
use super::*;

/// Every entry of a placement the caller sees, by day.
pub async fn entries_of(
    st: &AppState,
    p: &Principal,
    placement_id: &str,
) -> AppResult<(PlacementRow, Vec<TimeEntryRow>)> {
    let scope = p.authorize(Resource::TimeEntry, Action::Read)?;
    let mut tx = st.db.read().await?;
    let placement = placement_in_scope(&mut tx, &scope, placement_id).await?;
    let entries = db::time_entries::of_placement(&mut tx, placement_id).await?;
    Ok((placement, entries))
}

/// A placement's totals, read in the caller's transaction (scope checked by the caller).
pub async fn hours_of(tx: &mut Tx, placement: &PlacementRow) -> AppResult<PlacementHours> {
    let hours_per_week = db::requests::get(tx, &placement.request_id)
        .await?
        .map(|r| r.hours_per_week)
        .unwrap_or(0);
    let required = hours::required_minutes(hours_per_week, placement.starts_on, placement.ends_on);
    let entries: Vec<(EntryStatus, EntryKind, i64)> =
        db::time_entries::minutes_of(tx, &placement.id)
            .await?
            .into_iter()
            .filter_map(|(s, k, m)| Some((EntryStatus::parse(&s)?, EntryKind::parse(&k)?, m)))
            .collect();
    Ok(PlacementHours {
        placement_id: placement.id.clone(),
        hours_per_week,
        totals: Totals::of(required, &entries),
    })
}

/// The totals of a placement the caller sees.
pub async fn totals(st: &AppState, p: &Principal, placement_id: &str) -> AppResult<PlacementHours> {
    let scope = p.authorize(Resource::TimeEntry, Action::Read)?;
    let mut tx = st.db.read().await?;
    let placement = placement_in_scope(&mut tx, &scope, placement_id).await?;
    hours_of(&mut tx, &placement).await
}

/// Entries across the placements the caller sees (`status` to filter); for a preceptor or
/// faculty member with `to_decide`, only those of the placements they supervise.
pub async fn list(
    st: &AppState,
    p: &Principal,
    status: Option<EntryStatus>,
    to_decide: bool,
    page: &Page,
) -> AppResult<Paged<TimeEntryRow>> {
    list_narrowed(
        st,
        p,
        status,
        to_decide,
        db::time_entries::Filter::default(),
        page,
    )
    .await
}

/// [`list`], narrowed further by `narrow`'s period, kind, program and school (the hours
/// report's list); its scope fields are set from the caller's scope, not taken from it.
pub async fn list_narrowed(
    st: &AppState,
    p: &Principal,
    status: Option<EntryStatus>,
    to_decide: bool,
    narrow: db::time_entries::Filter,
    page: &Page,
) -> AppResult<Paged<TimeEntryRow>> {
    let Some(scoped) = scoped_filter(p, status, to_decide)? else {
        return Ok(Paged {
            items: vec![],
            next_cursor: None,
        });
    };
    let f = db::time_entries::Filter {
        from: narrow.from,
        to: narrow.to,
        kind: narrow.kind,
        program_id: narrow.program_id,
        of_school_id: narrow.of_school_id,
        ..scoped
    };
    let mut tx = st.db.read().await?;
    Ok(db::time_entries::list(&mut tx, &f, page).await?)
}

/// The entries `list` answers (same caller, status and `to_decide`), as a filter; `None` for
/// a caller who sees none.
fn scoped_filter(
    p: &Principal,
    status: Option<EntryStatus>,
    to_decide: bool,
) -> AppResult<Option<db::time_entries::Filter>> {
    let scope = p.authorize(Resource::TimeEntry, Action::Read)?;
    let mut f = db::time_entries::Filter {
        status: status.map(|s| s.as_str().to_string()),
        ..Default::default()
    };
    match scope {
        Scope::All => {}
        Scope::School(s) => f.school_id = Some(s),
        Scope::Student(s) => f.student_id = Some(s),
        Scope::Department(d) => f.department_id = Some(d),
        Scope::Staff(s) if to_decide => f.preceptor_id = Some(s),
        Scope::Staff(s) => f.staff_id = Some(s),
        Scope::Faculty(u) => f.faculty_user_id = Some(u),
        Scope::Nothing => return Ok(None),
    }
    Ok(Some(f))
}

/// How many entries `list` answers over all its pages, counted by the database (the homes'
/// tiles; issue 18 point 4).
pub async fn count(
    st: &AppState,
    p: &Principal,
    status: Option<EntryStatus>,
    to_decide: bool,
) -> AppResult<i64> {
    let Some(f) = scoped_filter(p, status, to_decide)? else {
        return Ok(0);
    };
    let mut tx = st.db.read().await?;
    Ok(db::time_entries::count(&mut tx, &f).await?)
}

/// The (placement, day) pairs the caller sees an entry for, days `from..=to` only.
pub async fn days_logged(
    st: &AppState,
    p: &Principal,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<(String, NaiveDate)>> {
    let Some(f) = scoped_filter(p, None, false)? else {
        return Ok(vec![]);
    };
    let mut tx = st.db.read().await?;
    Ok(db::time_entries::days_logged(&mut tx, &f, from, to).await?)
}

//! A placement as its readers see it: the stored row with its clearance, risks and shown
//! status derived from facts read for many rows at once (`service::facts`), one or a page,
//! the list's page taking the views kept since the last write (`AppState::placement_views`).
use super::super::facts::Facts;
use super::super::placement_filters::Derived;
use crate::db::facts_kept::KeptFacts;
use crate::db::listings::ListingKey;
use crate::db::{self, LazyRead, Tx, placements::PlacementRow, requests::FacultySupervisor};
use crate::domain::{
    clearance::Clearance,
    placement::{self, Stored},
    records::Placement,
};
use crate::error::AppResult;
use crate::state::AppState;
use chrono::NaiveDate;

/// The clearance of a placement, derived on every read from the rules and the student's
/// evidence. A seat whose student is not named yet has nothing to check: pending.
pub async fn clearance_of(
    tx: &mut Tx,
    row: &PlacementRow,
    today: NaiveDate,
) -> AppResult<Clearance> {
    Ok(Facts::load(tx, std::slice::from_ref(row), &[])
        .await?
        .clearance(row, today))
}

pub async fn view(tx: &mut Tx, row: PlacementRow, today: NaiveDate) -> AppResult<Placement> {
    let facts = Facts::load(tx, std::slice::from_ref(&row), &[]).await?;
    let risks = crate::service::risks::risks_with(tx, &facts, &row).await?;
    view_with(&facts, row, risks, today)
}

/// A page of placements as their readers see them, from facts read for the whole page in
/// about 15 queries ([`Facts::load_stored`]: through `held` for a list read page after page or
/// whole, without for a lone page), in the page's order.
pub async fn views(
    tx: &mut Tx,
    held: Option<KeptFacts<'_>>,
    rows: Vec<PlacementRow>,
    today: NaiveDate,
) -> AppResult<Vec<Placement>> {
    let facts = Facts::load_stored(tx, &rows, held).await?;
    let risks = crate::service::risks::risks_of_many(tx, &facts, &rows).await?;
    rows.into_iter()
        .zip(risks)
        .map(|(row, risks)| view_with(&facts, row, risks, today))
        .collect()
}

/// How many placements after a page [`list_answers`] derives with it when the page misses
/// some.
const READ_AHEAD: i64 = 150;

/// What a placement's kept answer (`AppState::placement_answers`) is valid under: the store's
/// placement generation (`Db::placement_generation`) and the office day it was derived at, as one tag
/// (`db::row_answers::RowAnswers`). A placement's answer is derived from other records (its
/// student's documents, its department's other placements, the rules) and from the day, so
/// no tag of its own row can say it is unchanged; a write to any of those records (the tables
/// migration 0039 counts), or a new day, gives every placement a new tag. The day's number fills the high bits and the generation the low 40:
/// two tags are equal only when both are (a store does not commit 2^40 writes).
fn answer_tag(generation: u64, today: NaiveDate) -> i64 {
    use chrono::Datelike;
    (i64::from(today.num_days_from_ce()) << 40) | (generation & ((1 << 40) - 1)) as i64
}

/// A page of the placements list with no derived filter, as the API's JSON list of `T` (the
/// answer's shape): the store's page as ids alone, each placement answered from what was kept
/// for it under the current [`answer_tag`], and the rest read and derived ([`views`]) once,
/// however many callers miss them together (`RowsPage::claim_missing`).
pub async fn list_answers<T>(
    st: &AppState,
    scope: &crate::db::Scope,
    filter: &db::placements::Filter,
    page: &db::Page,
) -> AppResult<axum::body::Bytes>
where
    T: serde::Serialize + From<Placement> + Send + 'static,
{
    let today = st.clock.today();
    // Read before the store is, so what a write changes meanwhile is kept under the older tag
    // and never answered again. The placements' own count: a write that changes no
    // placement's facts (a session, a mail sent, a new student) leaves what is kept.
    let read_at = st.db.placement_generation();
    let held = KeptFacts::at(&st.facts_kept, read_at);
    let tag = answer_tag(read_at, today);
    // A list's page: no common snapshot needed (Db::read_latest), and no connection at all
    // when its listing and rows are kept.
    let mut conn = st.db.read_latest_lazily();
    // Its ids, and those read ahead, from the listing kept whole when the list is read page
    // after page (db::listings).
    let key = ListingKey::new("placements", scope, filter, page, today);
    let listed = crate::listing_page!(st.placement_listings, key, read_at, page, page =>
        async { db::placements::list_ids(conn.get().await?, scope, filter, page).await }.await)?;
    let listed = tagged(listed, tag);
    let ahead_page = db::Page {
        limit: READ_AHEAD,
        after: listed.next_cursor.clone(),
        sort: page.sort.clone(),
    };
    let mut rows = st.placement_answers.page(listed);
    let claim = rows.claim_missing();
    // Read ahead: a later page (asked with a cursor) that misses rows is part of a list
    // paged forward (a coordinator reading on, a tool walking every page), whose next pages
    // are asked next. Deriving them in the same statements costs less than apart: a page's
    // facts are about 15 statements whatever its size. Not for a first page, which is what a
    // refresh or a dashboard reads again after each write: it derives its own rows alone.
    let mut ids = claim.ids();
    let ahead = match (&ahead_page.after, page.after.is_some() && !ids.is_empty()) {
        (Some(_), true) => {
            let listed = crate::listing_page!(st.placement_listings, key, read_at, &ahead_page, page =>
                async { db::placements::list_ids(conn.get().await?, scope, filter, page).await }.await)?;
            Some(st.placement_answers.page(tagged(listed, tag)))
        }
        _ => None,
    };
    let ahead_claim = ahead.as_ref().map(|a| a.claim_missing());
    let ahead_ids: Vec<String> = ahead_claim
        .as_ref()
        .map(|c| c.ids().into_iter().map(str::to_string).collect())
        .unwrap_or_default();
    ids.extend(ahead_ids.iter().map(String::as_str));
    // Keeps every row read, the page's and those ahead of it. Facts are kept per record only
    // for a list read on (`Facts::load_stored`): a lone page reads fewer rows without.
    // The connection goes with them (`answers_in_two` releases it before it waits), so no
    // one waits on others holding one: the rows waited on may be derived by a task that
    // needs a connection of its own, and with every connection held by a waiter it would
    // wait for ever.
    let held = ahead.is_some().then_some(held);
    let derived = answers_in_two::<T>(st, conn, held, &ids, today, tag).await?;
    rows.fill(derived, |_, _| {})?;
    // Released before waiting on others, who may be waiting on these.
    drop(ahead_claim);
    let rest = rows.answered_by_others(claim).await;
    if !rest.is_empty() {
        let mut tx = st.db.read_latest().await?;
        let rest: Vec<&str> = rest.iter().map(String::as_str).collect();
        rows.fill(
            answers::<T>(&mut tx, held, &rest, today, tag).await?,
            |_, _| {},
        )?;
    }
    Ok(rows.into_body()?)
}

/// `listed` (ids with no tag of their own) each with `tag`, [`answer_tag`]'s.
fn tagged(
    mut listed: db::Paged<(String, Option<i64>)>,
    tag: i64,
) -> db::Paged<(String, Option<i64>)> {
    for (_, row_tag) in &mut listed.items {
        *row_tag = Some(tag);
    }
    listed
}

/// Fewest placements [`answers_in_two`] derives in two halves at once: a page with the
/// placements read ahead of it.
const DERIVED_IN_TWO_FROM: usize = 100;

/// [`answers`] on `conn` (taken from the pool only when a row is missing), released before
/// this waits on anything. A list read on (`held`: a
/// page with the placements read ahead of it) of [`DERIVED_IN_TWO_FROM`] rows or more is
/// derived in two halves at once: the second on a task of its own with its own connection, so
/// that the machine's other core derives beside this one (a list walked page after page waits
/// on these on its first pass, issue 18 point 4; one task left a core of two idle). The task
/// is aborted if this is dropped (a client gone) or fails first, so no connection derives
/// rows no one will keep.
async fn answers_in_two<T>(
    st: &AppState,
    conn: LazyRead<'_>,
    held: Option<KeptFacts<'_>>,
    ids: &[&str],
    today: NaiveDate,
    tag: i64,
) -> AppResult<Vec<(String, Option<i64>, T)>>
where
    T: From<Placement> + Send + 'static,
{
    // Every row kept: the connection, if the listing took one, goes back now.
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut tx = conn.into_tx().await?;
    let Some(kept) = held.filter(|_| ids.len() >= DERIVED_IN_TWO_FROM) else {
        return answers(&mut tx, held, ids, today, tag).await;
    };
    let (mine, theirs) = ids.split_at(ids.len() / 2);
    let theirs: Vec<String> = theirs.iter().map(|id| id.to_string()).collect();
    let (other_st, generation) = (st.clone(), kept.generation());
    let mut other = AbortOnDrop(tokio::spawn(async move {
        let held = Some(KeptFacts::at(&other_st.facts_kept, generation));
        let ids: Vec<&str> = theirs.iter().map(String::as_str).collect();
        let mut tx = other_st.db.read_latest().await?;
        answers::<T>(&mut tx, held, &ids, today, tag).await
    }));
    let mut out = answers(&mut tx, held, mine, today, tag).await?;
    // This half never waits on the pool, so it always ends and frees its connection for the
    // other half's task, even with every other connection held.
    drop(tx);
    out.extend((&mut other.0).await.map_err(anyhow::Error::from)??);
    Ok(out)
}

/// A spawned task aborted when its handle is dropped.
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// The placements with these ids as `T`, each with `tag`, for [`list_answers`].
async fn answers<T: From<Placement>>(
    tx: &mut Tx,
    held: Option<KeptFacts<'_>>,
    ids: &[&str],
    today: NaiveDate,
    tag: i64,
) -> AppResult<Vec<(String, Option<i64>, T)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = db::placements::get_many(tx, ids).await?;
    Ok(views(tx, held, rows, today)
        .await?
        .into_iter()
        .map(|v| (v.id.clone(), Some(tag), T::from(v)))
        .collect())
}

/// One page of the placements list as its readers see it: the store's page, then each row's
/// view (kept in `st.placement_views`, or derived from facts read once for the rows not
/// kept), then the derived filters (`status=onboarding|cleared`, `clearance`, `starting`,
/// `at_risk`) on those views, so a filtered page may hold fewer than its limit while the
/// cursor goes on.
pub async fn list_views(
    st: &AppState,
    scope: &crate::db::Scope,
    filter: &db::placements::Filter,
    page: &db::Page,
    derived: &Derived,
) -> AppResult<db::Paged<Placement>> {
    let today = st.clock.today();
    // Read before the store is: a view derived from what a write changed meanwhile is kept
    // under the older generation, so it is never used (`Recent::put`).
    let generation = st.db.placement_generation();
    // A list's page: no common snapshot needed (Db::read_latest).
    let mut tx = st.db.read_latest().await?;
    let rows = db::placements::list(&mut tx, scope, filter, page).await?;
    let now = st.db.placement_generation();
    let mut kept: Vec<Option<Placement>> = rows
        .items
        .iter()
        .map(|r| st.placement_views.get(&(r.id.clone(), today), now))
        .collect();
    let missing: Vec<PlacementRow> = rows
        .items
        .iter()
        .zip(&kept)
        .filter(|(_, v)| v.is_none())
        .map(|(r, _)| r.clone())
        .collect();
    if !missing.is_empty() {
        let mut derived_views = std::collections::HashMap::new();
        for view in views(&mut tx, None, missing, today).await? {
            st.placement_views
                .put((view.id.clone(), today), view.clone(), generation);
            derived_views.insert(view.id.clone(), view);
        }
        for (row, slot) in rows.items.iter().zip(kept.iter_mut()) {
            if slot.is_none() {
                *slot = derived_views.remove(&row.id);
            }
        }
    }
    let items = rows
        .items
        .iter()
        .zip(kept)
        .filter_map(|(row, view)| view.filter(|v| derived.keeps_view(row, v, today)))
        .collect();
    Ok(db::Paged {
        items,
        next_cursor: rows.next_cursor,
    })
}

fn view_with(
    facts: &Facts,
    row: PlacementRow,
    risks: Vec<crate::domain::risk::Risk>,
    today: NaiveDate,
) -> AppResult<Placement> {
    let clearance = facts.clearance(&row, today);
    let stored = Stored::parse(&row.status)
        .ok_or_else(|| anyhow::anyhow!("unknown placement status {:?}", row.status))?;
    let faculty_supervisor = row
        .faculty_user_id
        .as_deref()
        .and_then(|uid| facts.user(uid))
        .map(|u| FacultySupervisor {
            name: u.name.clone(),
            email: u.email.clone(),
        });
    Ok(Placement {
        risks,
        status: placement::shown_status(stored, clearance.is_cleared()).to_string(),
        clearance,
        faculty_supervisor,
        id: row.id,
        request_id: row.request_id,
        kind: row.kind,
        student_id: row.student_id,
        school_id: row.school_id,
        program_id: row.program_id,
        department_id: row.department_id,
        preceptor_id: row.preceptor_id,
        site_mentor_id: row.site_mentor_id,
        starts_on: row.starts_on,
        ends_on: row.ends_on,
        cancel_reason: row.cancel_reason,
    })
}

//! Lifting the worst-served schools after the greedy start: every school at the worst share
//! gets one more student, in room freed by the cheapest students of other schools.
use super::*;

/// Raises the worst share while that pays: every school at the worst share gets one more
/// student — where it fits, or else in a place freed by taking out the cheapest students of
/// schools that stay above that share, who are then put back wherever they fit. A level that
/// cannot be finished, or that loses more weight than the fairness term gains, is undone.
/// The search alone rarely gets there: lifting one of many schools at the worst share changes
/// nothing until the last one is lifted (on `consortium-hard`, about 90 schools of 1–5
/// students held the worst share at 0). Returns how many levels were kept.
pub fn lift(
    m: &Model,
    users: &[Vec<u32>],
    st: &mut State,
    rng: &mut Rng,
    stop: &dyn Fn() -> bool,
) -> usize {
    let mut by_school: Vec<Vec<usize>> = vec![vec![]; m.school_asked.len()];
    for (r, q) in m.reqs.iter().enumerate() {
        by_school[q.school as usize].push(r);
    }
    let mut best = st.clone();
    let mut best_value = st.objective(m);
    let mut kept = 0;
    let mut levels = 0;
    while !stop() {
        let low = m.worst_share(&st.per_school);
        let at_low: Vec<usize> = (0..m.school_asked.len())
            .filter(|&s| {
                m.school_asked[s] > 0
                    && (st.per_school[s] as f64 / m.school_asked[s] as f64) <= low + 1e-12
            })
            .collect();
        if at_low.is_empty() {
            break;
        }
        let mut all = true;
        for &s in &at_low {
            if !lift_school(m, users, &by_school[s], st, low, rng) {
                all = false;
                break;
            }
        }
        if !all {
            break;
        }
        levels += 1;
        let v = st.objective(m);
        if v > best_value + 1e-9 {
            best_value = v;
            best = st.clone();
            kept = levels;
        }
    }
    *st = best;
    kept
}

/// One more student for a school at share `low` (its requests `reqs`): see `lift`.
fn lift_school(
    m: &Model,
    users: &[Vec<u32>],
    reqs: &[usize],
    st: &mut State,
    low: f64,
    rng: &mut Rng,
) -> bool {
    for &r in reqs {
        if st.fill(m, r, rng, 1) > 0 {
            return true;
        }
    }
    // Places that could be freed: (weight lost, request, place, students to take out).
    let mut options: Vec<Freed> = vec![];
    for &r in reqs {
        let q = &m.reqs[r];
        if q.together || st.placed[r].len() >= q.students as usize {
            continue;
        }
        for (oi, o) in q.opts.iter().enumerate() {
            let d = o.dept as usize;
            for s in q.earliest..=q.latest {
                // Who sits in this department during the window and may leave (students of
                // a school that would fall to the worst share cost more: they must find
                // another place).
                let mut here: Vec<(f64, usize, Place)> = vec![];
                for &u in &users[d] {
                    let u = u as usize;
                    let uq = &m.reqs[u];
                    // Not the school's own students; a cohort leaves whole (one entry for
                    // all of it), and not if pinned.
                    if uq.school == q.school || uq.together && st.pinned[u] > 0 {
                        continue;
                    }
                    let n = if uq.together { st.placed[u].len() } else { 1 };
                    let school = uq.school as usize;
                    let falls = (st.per_school[school] - n as i64) as f64
                        / m.school_asked[school].max(1) as f64
                        <= low + 1e-12;
                    for pl in &st.placed[u][st.pinned[u]..] {
                        let ps = pl.start as usize;
                        if uq.opts[pl.opt as usize].dept == o.dept
                            && ps < s + q.len
                            && s < ps + uq.len
                        {
                            let w = uq.opts[pl.opt as usize].weight * n as f64;
                            here.push((w + if falls { 100.0 } else { 0.0 }, u, *pl));
                            if uq.together {
                                break;
                            }
                        }
                    }
                }
                here.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                let precs: Vec<u32> = if q.clinical {
                    o.precs.clone()
                } else {
                    vec![NONE]
                };
                for p in precs {
                    let w = m.weeks;
                    if p != NONE
                        && m.prec_free[p as usize * w + s..p as usize * w + s + q.len]
                            .iter()
                            .any(|&x| x < 1)
                    {
                        continue;
                    }
                    if let Some((cost, out)) = free_for(m, st, &here, d, p, s, q.len) {
                        let pl = Place {
                            opt: oi as u16,
                            start: s as u16,
                            prec: p,
                        };
                        options.push((cost - o.weight, r, pl, out));
                    }
                }
            }
        }
    }
    options.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    // Cheapest first; a try that takes a school down to the worst share is undone.
    for (_, r, pl, out) in options.into_iter().take(LIFT_TRIES) {
        let mut touched: Vec<usize> = out.iter().map(|x| x.0).collect();
        touched.push(r);
        touched.sort_unstable();
        touched.dedup();
        let saved: Vec<(usize, Vec<Place>)> =
            touched.iter().map(|&u| (u, st.placed[u].clone())).collect();
        for &(u, upl) in &out {
            if let Some(i) = st.placed[u].iter().rposition(|x| *x == upl) {
                let gone = st.placed[u].remove(i);
                st.book(m, u, gone, -1);
            }
        }
        if !st.fits(m, r, pl) {
            restore(m, st, &saved);
            continue;
        }
        st.add(m, r, pl);
        for &(u, _) in &out {
            st.fill(m, u, rng, usize::MAX);
        }
        let ok = touched.iter().all(|&u| {
            let school = m.reqs[u].school as usize;
            st.per_school[school] as f64 / m.school_asked[school].max(1) as f64 > low + 1e-12
        });
        if ok {
            return true;
        }
        restore(m, st, &saved);
    }
    false
}

/// A place that could be freed for a student: (weight lost, request, place, students who
/// would leave it).
type Freed = (f64, usize, Place, Vec<(usize, Place)>);

/// How many freed places `lift_school` tries for one student.
const LIFT_TRIES: usize = 24;

/// Puts requests back exactly as they were (`saved`: each one's places, pins first).
fn restore(m: &Model, st: &mut State, saved: &[(usize, Vec<Place>)]) {
    for (u, _) in saved {
        st.clear(m, *u);
    }
    for (u, places) in saved {
        for pl in &places[st.pinned[*u]..] {
            st.add(m, *u, *pl);
        }
    }
}

/// The cheapest students in `here` (sorted by cost) whose leaving frees a seat of
/// department `d` and a slot of preceptor `p` (or none) in every week of `[s, s+len)`; their
/// total cost and who they are (at most a few: `None` if more would have to leave).
fn free_for(
    m: &Model,
    st: &State,
    here: &[(f64, usize, Place)],
    d: usize,
    p: u32,
    s: usize,
    len: usize,
) -> Option<(f64, Vec<(usize, Place)>)> {
    const MOST: usize = 8;
    let w = m.weeks;
    let mut seat: Vec<i32> = (s..s + len).map(|k| st.dept_rem[d * w + k]).collect();
    let mut slot: Vec<i32> = if p == NONE {
        vec![1; len]
    } else {
        (s..s + len)
            .map(|k| st.prec_rem[p as usize * w + k])
            .collect()
    };
    if seat.iter().all(|&x| x >= 1) && slot.iter().all(|&x| x >= 1) {
        return Some((0.0, vec![]));
    }
    let mut out: Vec<(usize, Place)> = vec![];
    let mut cost = 0.0;
    // The preceptor's students first (they free seats too), then seats.
    for pass in 0..2 {
        for &(c, u, pl) in here {
            let short_slot = slot.iter().any(|&x| x < 1);
            let short_seat = seat.iter().any(|&x| x < 1);
            if !short_slot && !short_seat {
                break;
            }
            if pass == 0 && (p == NONE || !short_slot) {
                continue;
            }
            if out.contains(&(u, pl)) {
                continue;
            }
            let (a, b) = (pl.start as usize, pl.start as usize + m.reqs[u].len);
            // Only if it covers a week still short of a seat (or of the slot).
            let helps = (a.max(s)..b.min(s + len))
                .any(|k| seat[k - s] < 1 || (pass == 0 && slot[k - s] < 1));
            if !helps {
                continue;
            }
            // A cohort's students all leave (they share the department and the start).
            let members: &[Place] = if m.reqs[u].together {
                &st.placed[u]
            } else {
                std::slice::from_ref(&pl)
            };
            if pass == 0 && !members.iter().any(|x| x.prec == p) {
                continue;
            }
            for x in members {
                for k in a.max(s)..b.min(s + len) {
                    seat[k - s] += 1;
                    if x.prec == p && p != NONE {
                        slot[k - s] += 1;
                    }
                }
                out.push((u, *x));
            }
            cost += c;
            if out.len() > MOST {
                return None;
            }
        }
    }
    (seat.iter().all(|&x| x >= 1) && slot.iter().all(|&x| x >= 1)).then_some((cost, out))
}

//! The large-neighbourhood moves: which students a move takes out, and the repair.
use super::*;

/// Which requests may use each department (to find who could take freed room).
pub fn users_of_departments(m: &Model) -> Vec<Vec<u32>> {
    let mut users: Vec<Vec<u32>> = vec![vec![]; m.dept_free.len() / m.weeks.max(1)];
    for (r, q) in m.reqs.iter().enumerate() {
        for o in &q.opts {
            users[o.dept as usize].push(r as u32);
        }
    }
    users
}

/// One large-neighbourhood move: destroy, repair, and keep the result if it is no worse —
/// or, with a probability that falls with `temperature`, even if it is (simulated
/// annealing, to leave a local optimum). Returns whether the move was kept.
pub fn step(
    m: &Model,
    users: &[Vec<u32>],
    st: &mut State,
    rng: &mut Rng,
    temperature: f64,
    lift: f64,
) -> bool {
    let before = st.score(m, lift);
    let mut touched: Vec<usize> = vec![];
    let depts = users.len();
    if depts == 0 || m.reqs.is_empty() {
        return false;
    }
    let mut first: Option<usize> = None;
    match rng.below(4) {
        3 => {
            // Ejection: a request still missing students, and whoever holds its wanted
            // department in its window; it is repaired first, the others after.
            let r = rng.below(m.reqs.len());
            let Some(r) = (0..m.reqs.len().min(64))
                .map(|k| (r + k * 7919) % m.reqs.len())
                .find(|&r| {
                    let q = &m.reqs[r];
                    !q.opts.is_empty() && st.placed[r].len() < q.students as usize
                })
            else {
                return false;
            };
            let q = &m.reqs[r];
            let o = if rng.below(10) < 6 {
                &q.opts[0]
            } else {
                &q.opts[rng.below(q.opts.len())]
            };
            let s = q.earliest + rng.below(q.latest - q.earliest + 1);
            let (from, to) = (s, s + q.len);
            touched.push(r);
            first = Some(r);
            for &u in &users[o.dept as usize] {
                let u = u as usize;
                let uq = &m.reqs[u];
                if st.placed[u].iter().any(|pl| {
                    uq.opts[pl.opt as usize].dept == o.dept
                        && (pl.start as usize) < to
                        && from < pl.start as usize + uq.len
                }) {
                    touched.push(u);
                }
                if touched.len() >= 24 {
                    break;
                }
            }
        }
        0 => {
            // Everyone who could use one department: who is there, and who is waiting.
            let d = rng.below(depts);
            let list = &users[d];
            if list.is_empty() {
                return false;
            }
            let take = list.len().min(8 + rng.below(16));
            let first = rng.below(list.len());
            for k in 0..take {
                touched.push(list[(first + k) % list.len()] as usize);
            }
        }
        1 => {
            // A few random requests and their departments' other users.
            for _ in 0..3 {
                let r = rng.below(m.reqs.len());
                touched.push(r);
                if let Some(o) = m.reqs[r].opts.get(rng.below(m.reqs[r].opts.len().max(1))) {
                    let list = &users[o.dept as usize];
                    if !list.is_empty() {
                        touched.push(list[rng.below(list.len())] as usize);
                    }
                }
            }
        }
        _ => {
            // A worst-served school's requests (any of them when several share the worst
            // share), and the users of their first choices.
            let share = |s: usize| st.per_school[s] as f64 / m.school_asked[s].max(1) as f64;
            let low = (0..m.school_asked.len())
                .map(share)
                .fold(f64::INFINITY, f64::min);
            let at_low: Vec<usize> = (0..m.school_asked.len())
                .filter(|&s| share(s) <= low + 1e-12)
                .collect();
            let worst = if at_low.is_empty() {
                0
            } else {
                at_low[rng.below(at_low.len())]
            };
            for (r, q) in m.reqs.iter().enumerate() {
                if q.school as usize == worst {
                    touched.push(r);
                    if let Some(o) = q.opts.first() {
                        let list = &users[o.dept as usize];
                        for _ in 0..3.min(list.len()) {
                            touched.push(list[rng.below(list.len())] as usize);
                        }
                    }
                }
                if touched.len() > 24 {
                    break;
                }
            }
        }
    }
    touched.sort_unstable();
    touched.dedup();
    let saved: Vec<(usize, Vec<Place>)> = touched.iter().map(|&r| (r, st.clear(m, r))).collect();
    // Repair: the worst-served school's requests first (the fairness term is its share),
    // then the heaviest first choices, with noise so repeated moves differ.
    let worst = m.worst_share(&st.per_school);
    let mut order: Vec<(f64, usize)> = touched
        .iter()
        .map(|&r| {
            let q = &m.reqs[r];
            let s = q.school as usize;
            let share = st.per_school[s] as f64 / m.school_asked[s].max(1) as f64;
            let first = if share <= worst + 1e-9 { -100.0 } else { 0.0 };
            let w = q.opts.first().map_or(0.0, |o| o.weight);
            (first - w + rng.unit() * 1.5, r)
        })
        .collect();
    order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    if let Some(r) = first
        && let Some(k) = order.iter().position(|x| x.1 == r)
    {
        let x = order.remove(k);
        order.insert(0, x);
    }
    for &(_, r) in &order {
        st.fill(m, r, rng, usize::MAX);
    }
    // Freed room may suit requests that were waiting elsewhere: one more pass.
    for &(_, r) in &order {
        st.fill(m, r, rng, usize::MAX);
    }
    let after = st.score(m, lift);
    if after + 1e-9 >= before
        || (temperature > 0.0 && rng.unit() < ((after - before) / temperature).exp())
    {
        true
    } else {
        for (r, places) in saved.into_iter().rev() {
            st.clear(m, r);
            for pl in places {
                st.add(m, r, pl);
            }
        }
        // Other requests were not touched, so the state is exactly as before.
        false
    }
}

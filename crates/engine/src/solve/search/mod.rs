//! The heuristic: a fairness-first greedy construction, then large-neighbourhood search —
//! take out every student in a department over a few weeks (or a school's requests, or a few
//! random requests), put students back greedily in a random, fairness-biased order, and keep
//! the change unless the objective got worse. Room is tracked incrementally per department-week
//! and preceptor-week, so a move costs only the weeks it touches.
use super::model::{Model, NONE, Place};
use super::rng::Rng;
use std::sync::Arc;

#[derive(Clone)]
pub struct State {
    pub dept_rem: Vec<i32>,
    pub prec_rem: Vec<i32>,
    pub placed: Vec<Vec<Place>>,
    /// How many of each request's places are pins (the first ones).
    pub pinned: Vec<usize>,
    pub per_school: Vec<i64>,
    pub weights: f64,
    /// The bound's prices of seats and preceptor slots per week (`priced`), once known.
    pub prices: Option<Arc<Prices>>,
}

/// Seats (`dept`) and preceptor slots (`prec`) priced per week by the Lagrangian bound: how
/// much the relaxation says a week of each is worth to the students who compete for it.
pub struct Prices {
    pub dept: Vec<f64>,
    pub prec: Vec<f64>,
}

impl State {
    pub fn empty(m: &Model) -> State {
        State {
            dept_rem: m.dept_free.clone(),
            prec_rem: m.prec_free.clone(),
            placed: vec![vec![]; m.reqs.len()],
            pinned: vec![0; m.reqs.len()],
            per_school: vec![0; m.school_asked.len()],
            weights: 0.0,
            prices: None,
        }
    }

    pub fn objective(&self, m: &Model) -> f64 {
        self.weights + m.fairness * m.worst_share(&self.per_school)
    }

    /// What the search climbs: the objective, plus `lift` times the fairness weight's share
    /// per school for every school above the worst share. Lifting one of many schools off the
    /// worst share does not change the objective until the last one is lifted, so without
    /// this the search never starts on that (on `consortium-hard`, 87 one- and two-student
    /// schools held the worst share at 0); but it also pays for lifts that cannot raise the
    /// worst share, so only one worker uses it.
    pub fn score(&self, m: &Model, lift: f64) -> f64 {
        if lift == 0.0 {
            return self.objective(m);
        }
        let (mut low, mut at_low) = (f64::INFINITY, 0usize);
        for (&asked, &got) in m.school_asked.iter().zip(&self.per_school) {
            let share = if asked > 0 {
                got as f64 / asked as f64
            } else {
                0.0
            };
            if share < low - 1e-12 {
                (low, at_low) = (share, 1);
            } else if share <= low + 1e-12 {
                at_low += 1;
            }
        }
        let schools = m.school_asked.len();
        if schools == 0 {
            return self.weights;
        }
        let above = (schools - at_low) as f64 / schools as f64;
        self.weights + m.fairness * (low + lift * above)
    }

    /// Books (`sign` = 1) or frees (`sign` = -1) one place: its department's seats and its
    /// preceptor's slots in every week, its school's count and the weights.
    fn book(&mut self, m: &Model, r: usize, pl: Place, sign: i32) {
        let q = &m.reqs[r];
        let o = &q.opts[pl.opt as usize];
        let (d, s, w) = (o.dept as usize, pl.start as usize, m.weeks);
        for k in s..s + q.len {
            self.dept_rem[d * w + k] -= sign;
            if pl.prec != NONE {
                self.prec_rem[pl.prec as usize * w + k] -= sign;
            }
        }
        self.per_school[q.school as usize] += i64::from(sign);
        self.weights += f64::from(sign) * o.weight;
    }

    pub fn add(&mut self, m: &Model, r: usize, pl: Place) {
        self.book(m, r, pl, 1);
        self.placed[r].push(pl);
    }

    /// Takes out `r`'s last place (the exact search backtracks with it).
    pub fn pop(&mut self, m: &Model, r: usize) {
        if let Some(pl) = self.placed[r].pop() {
            self.book(m, r, pl, -1);
        }
    }

    pub fn fits(&self, m: &Model, r: usize, pl: Place) -> bool {
        let q = &m.reqs[r];
        let o = &q.opts[pl.opt as usize];
        let s = pl.start as usize;
        self.dept_room(m, o.dept, s, q.len) >= 1
            && (pl.prec == NONE || self.prec_room(m, pl.prec, s, q.len) >= 1)
    }

    /// Takes out every place of `r` that is not a pin; returns them.
    fn clear(&mut self, m: &Model, r: usize) -> Vec<Place> {
        let keep = self.pinned[r];
        let gone: Vec<Place> = self.placed[r].drain(keep..).collect();
        for pl in &gone {
            self.book(m, r, *pl, -1);
        }
        gone
    }

    fn dept_room(&self, m: &Model, d: u32, s: usize, len: usize) -> i32 {
        let base = d as usize * m.weeks;
        self.dept_rem[base + s..base + s + len]
            .iter()
            .copied()
            .min()
            .unwrap_or(0)
    }

    fn prec_room(&self, m: &Model, p: u32, s: usize, len: usize) -> i32 {
        let base = p as usize * m.weeks;
        self.prec_rem[base + s..base + s + len]
            .iter()
            .copied()
            .min()
            .unwrap_or(0)
    }

    /// Places as many of `r`'s missing students as fit, best weight first; a cohort goes all
    /// together or not at all. `rng` breaks ties between starts and preceptors.
    pub fn fill(&mut self, m: &Model, r: usize, rng: &mut Rng, limit: usize) -> usize {
        let q = &m.reqs[r];
        let missing = (q.students as usize).saturating_sub(self.placed[r].len());
        if missing == 0 || q.opts.is_empty() {
            return 0;
        }
        if q.together {
            return self.fill_cohort(m, r, rng);
        }
        let want = missing.min(limit);
        if self.prices.is_some() && rng.below(4) != 0 {
            return self.fill_priced(m, r, rng, want);
        }
        let mut done = 0;
        'students: while done < want {
            for (oi, o) in q.opts.iter().enumerate() {
                // Best fit: a place that touches used weeks or the term's ends leaves fewer
                // gaps too short for anyone else. Ties go to a random choice.
                let mut best: Option<(u32, u64, usize, u32)> = None;
                for s in q.earliest..=q.latest {
                    if self.dept_room(m, o.dept, s, q.len) < 1 {
                        continue;
                    }
                    let mut consider = |p: u32, fit: u32, rng: &mut Rng| {
                        let key = (fit, rng.next() >> 1);
                        if best.is_none_or(|b| (b.0, b.1) < key) {
                            best = Some((key.0, key.1, s, p));
                        }
                    };
                    if q.clinical {
                        for &p in &o.precs {
                            if self.prec_room(m, p, s, q.len) >= 1 {
                                let fit = self.snug(&self.prec_rem, m, p as usize, s, q.len);
                                consider(p, fit, rng);
                            }
                        }
                    } else {
                        let fit = self.snug(&self.dept_rem, m, o.dept as usize, s, q.len);
                        consider(NONE, fit, rng);
                    }
                }
                if let Some((_, _, s, p)) = best {
                    self.add(
                        m,
                        r,
                        Place {
                            opt: oi as u16,
                            start: s as u16,
                            prec: p,
                        },
                    );
                    done += 1;
                    continue 'students;
                }
            }
            break;
        }
        done
    }

    /// How snugly `[s, s+len)` sits in a row's free weeks: one point for each end that meets
    /// a full week or the term's edge.
    fn snug(&self, rem: &[i32], m: &Model, row: usize, s: usize, len: usize) -> u32 {
        let base = row * m.weeks;
        let left = s == 0 || rem[base + s - 1] <= 0;
        let right = s + len == m.weeks || rem[base + s + len] <= 0;
        u32::from(left) + u32::from(right)
    }

    fn fill_cohort(&mut self, m: &Model, r: usize, rng: &mut Rng) -> usize {
        let q = &m.reqs[r];
        let have = self.placed[r].len();
        let need = q.students as usize - have;
        // With pins, the cohort's department and start are already chosen.
        let fixed = self.placed[r].first().copied();
        let span = q.latest - q.earliest + 1;
        for (oi, o) in q.opts.iter().enumerate() {
            if fixed.is_some_and(|f| f.opt as usize != oi) {
                continue;
            }
            let offset = rng.below(span);
            for k in 0..span {
                let s = q.earliest + (offset + k) % span;
                if fixed.is_some_and(|f| f.start as usize != s) {
                    continue;
                }
                if (self.dept_room(m, o.dept, s, q.len) as usize) < need {
                    continue;
                }
                let mut chosen: Vec<u32> = vec![];
                if q.clinical {
                    for &p in &o.precs {
                        let room = self.prec_room(m, p, s, q.len).max(0) as usize;
                        for _ in 0..room.min(need - chosen.len()) {
                            chosen.push(p);
                        }
                        if chosen.len() == need {
                            break;
                        }
                    }
                    if chosen.len() < need {
                        continue;
                    }
                } else {
                    chosen = vec![NONE; need];
                }
                for p in chosen {
                    self.add(
                        m,
                        r,
                        Place {
                            opt: oi as u16,
                            start: s as u16,
                            prec: p,
                        },
                    );
                }
                return need;
            }
        }
        0
    }
}

/// Pins first, then the greedy: each round serves the school with the smallest share so far
/// (water-filling), one student at a time, taking its heaviest option that fits.
pub fn construct(m: &Model, rng: &mut Rng) -> State {
    let mut st = State::empty(m);
    for (r, pins) in m.pins.iter().enumerate() {
        for pl in pins.iter().take(m.reqs[r].students.max(0) as usize) {
            st.add(m, r, *pl);
        }
        st.pinned[r] = st.placed[r].len();
    }
    // Requests per school, the most valuable and the hardest to place first.
    let mut by_school: Vec<Vec<usize>> = vec![vec![]; m.school_asked.len()];
    for (r, q) in m.reqs.iter().enumerate() {
        by_school[q.school as usize].push(r);
    }
    for list in &mut by_school {
        list.sort_by(|&a, &b| {
            let (qa, qb) = (&m.reqs[a], &m.reqs[b]);
            let wa = qa.opts.first().map_or(0.0, |o| o.weight);
            let wb = qb.opts.first().map_or(0.0, |o| o.weight);
            wb.total_cmp(&wa).then(qa.opts.len().cmp(&qb.opts.len()))
        });
    }
    let mut cursor = vec![0usize; by_school.len()];
    let mut active: Vec<usize> = (0..by_school.len()).collect();
    while !active.is_empty() {
        // The school with the smallest share goes next (every school gets its first student
        // before any gets a second: the worst share is what counts); among equals, the one
        // with the smallest share after one more student.
        let Some((i, &s)) = active.iter().enumerate().min_by(|(_, a), (_, b)| {
            let share =
                |s: usize, k: i64| (st.per_school[s] + k) as f64 / m.school_asked[s].max(1) as f64;
            share(**a, 0)
                .total_cmp(&share(**b, 0))
                .then(share(**a, 1).total_cmp(&share(**b, 1)))
                .then(a.cmp(b))
        }) else {
            break;
        };
        let mut placed = false;
        while cursor[s] < by_school[s].len() {
            let r = by_school[s][cursor[s]];
            if st.fill(m, r, rng, 1) > 0 {
                placed = true;
                if st.placed[r].len() >= m.reqs[r].students as usize {
                    cursor[s] += 1;
                }
                break;
            }
            cursor[s] += 1;
        }
        if !placed {
            active.swap_remove(i);
        }
    }
    st
}

mod lift;
mod moves;
mod priced;
pub use lift::lift;
pub use moves::{step, users_of_departments};

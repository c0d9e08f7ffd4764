//! Exhaustive search for tiny problems: every multiset of places per request, within a node
//! budget. When it finishes, its answer is optimal, so the bound equals the objective.
use super::model::{Model, NONE, Place};
use super::search::State;

/// Candidate places of a request: every option, start and preceptor.
fn candidates(m: &Model, r: usize) -> Vec<Place> {
    let q = &m.reqs[r];
    let mut out = vec![];
    for (oi, o) in q.opts.iter().enumerate() {
        for s in q.earliest..=q.latest {
            if q.clinical {
                for &p in &o.precs {
                    out.push(Place {
                        opt: oi as u16,
                        start: s as u16,
                        prec: p,
                    });
                }
            } else {
                out.push(Place {
                    opt: oi as u16,
                    start: s as u16,
                    prec: NONE,
                });
            }
        }
    }
    out
}

struct Search<'a> {
    m: &'a Model,
    cands: Vec<Vec<Place>>,
    best: f64,
    best_placed: Vec<Vec<Place>>,
    nodes: u64,
    budget: u64,
}

impl Search<'_> {
    /// Requests `r..` still to decide; `from` is the first candidate `r` may still take
    /// (places are chosen in candidate order, so each multiset is seen once).
    fn go(&mut self, st: &mut State, r: usize, from: usize) -> bool {
        self.nodes += 1;
        if self.nodes > self.budget {
            return false;
        }
        let m = self.m;
        if r == m.reqs.len() {
            let v = st.objective(m);
            if v > self.best + 1e-12 {
                self.best = v;
                self.best_placed = st.placed.clone();
            }
            return true;
        }
        let q = &m.reqs[r];
        let have = st.placed[r].len();
        // Stop here for this request (a cohort only with none or all of its students).
        if (!q.together || have == 0 || have == q.students as usize) && !self.go(st, r + 1, 0) {
            return false;
        }
        if have >= q.students as usize {
            return true;
        }
        for c in from..self.cands[r].len() {
            let pl = self.cands[r][c];
            if q.together
                && let Some(first) = st.placed[r].first()
                && (first.opt != pl.opt || first.start != pl.start)
            {
                continue;
            }
            if !st.fits(m, r, pl) {
                continue;
            }
            st.add(m, r, pl);
            let ok = self.go(st, r, c);
            st.pop(m, r);
            if !ok {
                return false;
            }
        }
        true
    }
}

/// The optimum, if the search finishes within `budget` nodes.
pub fn solve(m: &Model, start: &State, budget: u64) -> Option<(Vec<Vec<Place>>, f64, u64)> {
    let cands = (0..m.reqs.len()).map(|r| candidates(m, r)).collect();
    let mut s = Search {
        m,
        cands,
        best: f64::NEG_INFINITY,
        best_placed: start.placed.clone(),
        nodes: 0,
        budget,
    };
    let mut st = start.clone();
    if s.go(&mut st, 0, 0) && s.best.is_finite() {
        Some((s.best_placed, s.best, s.nodes))
    } else {
        None
    }
}

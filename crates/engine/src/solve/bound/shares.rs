//! The worst-served school's share: the fractions it can take, how high it could ever be, and the bound refined over ranges of it.
use super::*;

/// Every student at their heaviest option, and the worst-served school served as well as
/// its requests could be on an empty term.
pub fn trivial(m: &Model) -> f64 {
    m.reqs
        .iter()
        .map(|q| q.students as f64 * q.opts.first().map_or(0.0, |o| o.weight))
        .sum::<f64>()
        + m.fairness * best_share(m).0
}

/// Whether request `r` could place `n` students at all with only the fixed load in the way
/// (a cohort: all of them in one department and start).
pub(super) fn could_place(m: &Model, r: usize, n: usize) -> bool {
    let (q, w) = (&m.reqs[r], m.weeks);
    q.opts.iter().any(|o| {
        (q.earliest..=q.latest).any(|s| {
            if min_room(&m.dept_free, o.dept as usize, s, q.len, w) < n as i32 {
                return false;
            }
            !q.clinical
                || o.precs
                    .iter()
                    .map(|&p| min_room(&m.prec_free, p as usize, s, q.len, w).clamp(0, n as i32))
                    .sum::<i32>()
                    >= n as i32
        })
    })
}

/// The highest share the worst-served school could ever get, and that school: a cohort that
/// fits nowhere, or a request with no usable place, caps its school's share.
pub(super) fn best_share(m: &Model) -> (f64, usize) {
    if m.school_asked.is_empty() {
        return (0.0, 0);
    }
    let mut most = vec![0i64; m.school_asked.len()];
    for (r, q) in m.reqs.iter().enumerate() {
        let n = q.students.max(0) as usize;
        let pins = m.pins[r].len().min(n);
        let ok = if q.together && pins == 0 {
            could_place(m, r, n)
        } else {
            pins > 0 || could_place(m, r, 1.min(n))
        };
        if ok {
            most[q.school as usize] += n as i64;
        }
    }
    most.iter()
        .zip(&m.school_asked)
        .enumerate()
        .map(|(s, (&k, &a))| ((k as f64 / a.max(1) as f64).min(1.0), s))
        .fold((f64::INFINITY, 0), |b, x| if x.0 < b.0 { x } else { b })
}

/// Every fraction `k / asked_s` a worst share could take, up to the highest it could ever
/// be, in increasing order, equal ones merged: `tau[g]`, and `school[start[g]..start[g + 1]]`
/// the schools that need one more student once the share is above `tau[g]`.
pub struct Fractions {
    pub tau: Vec<(u64, u64)>,
    pub(super) start: Vec<usize>,
    pub(super) school: Vec<u32>,
}

pub(super) fn fractions(m: &Model) -> Fractions {
    let (cap, _) = best_share(m);
    let mut events: Vec<(u64, u64, u32)> = vec![];
    for (s, &a) in m.school_asked.iter().enumerate() {
        if a <= 0 {
            continue;
        }
        for k in 0..=a as u64 {
            if k as f64 / a as f64 <= cap + 1e-12 {
                events.push((k, a as u64, s as u32));
            }
        }
    }
    events.sort_by(|x, y| (x.0 * y.1).cmp(&(y.0 * x.1)).then(x.2.cmp(&y.2)));
    let mut fr = Fractions {
        tau: vec![],
        start: vec![],
        school: vec![],
    };
    for (k, a, s) in events {
        let same = fr.tau.last().is_some_and(|&(k0, a0)| k0 * a == k * a0);
        if !same {
            fr.tau.push((k, a));
            fr.start.push(fr.school.len());
        }
        fr.school.push(s);
    }
    if fr.tau.is_empty() {
        fr.tau.push((0, 1));
        fr.start.push(0);
    }
    fr.start.push(fr.school.len());
    fr
}

/// The bound over every worst share, refined by ranges: one relaxation per range of shares,
/// and the bound is the highest of theirs. When the range with the highest bound stops
/// improving it is split at the share its relaxation picks: above it every school needs at
/// least as many students as there, below it the fairness term is smaller — prices tuned for
/// each half do better than one set for both (the LP relaxation has only one).
pub struct Bound<'a> {
    pub(super) m: &'a Model,
    pub(super) fr: Arc<Fractions>,
    pub(super) leaves: Vec<Relaxation<'a>>,
    pub iterations: u64,
    pub splits: u64,
    /// Steps without progress before a range is split (grows with the range's steps).
    pub patience: u32,
    /// The bound when the steps last reached a power of two (times `CHECKPOINT`).
    checkpoint: (u64, f64),
}

/// The bound is checked for progress at `CHECKPOINT`, twice, four times as many steps, ...
const CHECKPOINT: u64 = 1_000;

/// Converged: the bound gained less than this share of itself since the last checkpoint
/// (half its steps ago). On `hospital-hard` it is at 1,167.84 after 24,000 steps, 1,167.80
/// after 59,000 and 1,167.79 after 135,000 (7.5 s of a core that the search could use).
const CONVERGED: f64 = 2e-5;

impl<'a> Bound<'a> {
    pub fn new(m: &'a Model) -> Bound<'a> {
        let first = Relaxation::new(m);
        Bound {
            m,
            fr: first.fr.clone(),
            leaves: vec![first],
            iterations: 0,
            splits: 0,
            patience: 300,
            checkpoint: (CHECKPOINT, f64::INFINITY),
        }
    }

    /// Whether the bound has converged: checked each time the steps double (see
    /// `CONVERGED`); more steps would only shave the last hundredths off it.
    pub fn converged(&mut self) -> bool {
        if self.iterations < self.checkpoint.0 {
            return false;
        }
        let now = self.bound();
        let gained = self.checkpoint.1 - now;
        self.checkpoint = (self.iterations * 2, now);
        gained < CONVERGED * now.abs().max(1.0)
    }

    /// One step of the range with the highest bound (splitting it first if it has stalled).
    /// Returns false when nothing is left to improve (or the bound meets `lower`).
    pub fn step(&mut self, lower: f64) -> bool {
        let Some(top) = (0..self.leaves.len())
            .max_by(|&a, &b| self.leaves[a].best.total_cmp(&self.leaves[b].best))
        else {
            return false;
        };
        if self.leaves[top].best <= lower + 1e-9 {
            return false;
        }
        let patience = self.patience + (self.leaves[top].iterations / 4).min(2000) as u32;
        let single = self.leaves[top].lo == self.leaves[top].hi;
        if single && self.leaves[top].done {
            return false;
        }
        // A single share that stalled keeps stepping: only its prices can help.
        if !single && (self.leaves[top].done || self.leaves[top].stalled(patience)) {
            let leaf = &self.leaves[top];
            let (lo, hi) = (leaf.lo, leaf.hi);
            // Split at the share the relaxation picks, or in the middle if that is an end.
            let cut = if leaf.argmax > lo {
                leaf.argmax
            } else {
                lo + (hi - lo).div_ceil(2)
            };
            let below = Relaxation::within(self.m, self.fr.clone(), lo, cut - 1, Some(leaf));
            let above = Relaxation::within(self.m, self.fr.clone(), cut, hi, Some(leaf));
            self.leaves[top] = below;
            self.leaves.push(above);
            self.splits += 1;
            return true;
        }
        self.iterations += 1;
        if !self.leaves[top].step(lower) {
            // Its prices cannot improve (or it met the best plan): only a split can help.
            self.leaves[top].done = true;
        }
        true
    }

    /// The prices of seats and preceptor slots of the range with the highest bound (its best
    /// prices so far), for the search's priced repair.
    pub fn prices(&self) -> Option<crate::solve::search::Prices> {
        let top = self
            .leaves
            .iter()
            .max_by(|a, b| a.best.total_cmp(&b.best))?;
        let (dept, prec) = top.prices();
        Some(crate::solve::search::Prices { dept, prec })
    }

    /// Each range of worst shares with its bound and the share its relaxation picks last.
    pub fn ranges(&self) -> Vec<(f64, f64, f64, f64)> {
        let share = |g: usize| self.fr.tau[g].0 as f64 / self.fr.tau[g].1 as f64;
        let mut out: Vec<_> = self
            .leaves
            .iter()
            .map(|l| (share(l.lo), share(l.hi), l.bound(), share(l.argmax)))
            .collect();
        out.sort_by(|a, b| a.0.total_cmp(&b.0));
        out
    }

    /// The highest bound over the ranges, with a hair of room for floating-point sums.
    pub fn bound(&self) -> f64 {
        self.leaves
            .iter()
            .map(Relaxation::bound)
            .fold(f64::NEG_INFINITY, f64::max)
    }
}

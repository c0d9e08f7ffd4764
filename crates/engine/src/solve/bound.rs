//! A proven upper bound by Lagrangian relaxation.
//!
//! Department-week seats (λ), preceptor-week slots (μ) and the fairness term are priced
//! instead of enforced. The fairness term is `F·τ` where `τ`, the worst-served school's
//! share, is one of the fractions `k / asked_s`; in a plan whose worst share is `τ`, every
//! school places at least `need_s(τ) = ⌈τ·asked_s⌉` students — whole students, which is
//! what the LP relaxation misses (it may place 0.6 of a one-student school's student). Each
//! school's `placed_s ≥ need_s(τ)` is priced with `ρ_s ≥ 0`: a bonus of `ρ_s` per placed
//! student, and `max over τ of F·τ − Σ ρ_s·need_s(τ)` (a sweep over the fractions) for the
//! rest. What is left splits by request: each student takes the (option, start, preceptor)
//! with the best priced value, or stays out. For any prices the relaxed optimum is at least
//! the true optimum, so the smallest value seen is a bound; a subgradient level method (the
//! target a shrinking distance below the best value so far, never below the best known plan)
//! lowers it.
//!
//! Room that is already zero (a full week, a preceptor on leave) is kept as a hard rule: no
//! feasible plan uses it, so the relaxation may forbid it too, which tightens the bound.
use super::model::{Model, NONE};
use std::sync::Arc;

pub struct Relaxation<'a> {
    m: &'a Model,
    w: usize,
    dept_cap: Vec<f64>,
    prec_cap: Vec<f64>,
    /// Prefix counts of weeks with no room, per row: a window is usable when its count is 0.
    dept_zero: Vec<u32>,
    prec_zero: Vec<u32>,
    pub lambda: Vec<f64>,
    pub mu: Vec<f64>,
    /// Per school: the price of placing at least `need_s(τ)` students.
    pub rho: Vec<f64>,
    /// The fractions a worst share could take; this relaxation looks only at `lo..=hi` of them.
    fr: Arc<Fractions>,
    lo: usize,
    hi: usize,
    pub best: f64,
    pub iterations: u64,
    /// Level method: the target is `best − delta` (but not below the best known plan);
    /// `path` is the distance moved since the last real progress, `record` the prices of the
    /// best value.
    record: (Vec<f64>, Vec<f64>, Vec<f64>),
    /// Averaged relaxed solutions: department and preceptor use, placed and needed per school.
    bar: (Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>),
    pub theta: f64,
    alpha: f64,
    reds: u32,
    /// How far below the best value (as a share of it) the step aims.
    level: f64,
    /// The worst share's index at the last evaluation.
    argmax: usize,
    /// Set by `Bound` once a step reported that the prices cannot improve.
    done: bool,
    /// The best value when it last improved by more than a millionth, and steps since.
    gain_mark: f64,
    since_gain: u32,
}

fn prefix_zero(free: &[i32], rows: usize, w: usize) -> Vec<u32> {
    let mut out = vec![0u32; rows * (w + 1)];
    for r in 0..rows {
        for k in 0..w {
            out[r * (w + 1) + k + 1] = out[r * (w + 1) + k] + u32::from(free[r * w + k] <= 0);
        }
    }
    out
}

impl<'a> Relaxation<'a> {
    pub fn new(m: &'a Model) -> Relaxation<'a> {
        let fr = Arc::new(fractions(m));
        let hi = fr.tau.len() - 1;
        Relaxation::within(m, fr, 0, hi, None)
    }

    /// Only the worst shares `fr.tau[lo..=hi]`, from the prices of `from` if given.
    fn within(
        m: &'a Model,
        fr: Arc<Fractions>,
        lo: usize,
        hi: usize,
        from: Option<&Relaxation<'a>>,
    ) -> Relaxation<'a> {
        let w = m.weeks.max(1);
        let depts = m.dept_free.len() / w;
        let precs = m.prec_free.len() / w;
        let mut out = Relaxation {
            m,
            w,
            dept_cap: m.dept_free.iter().map(|&x| x.max(0) as f64).collect(),
            prec_cap: m.prec_free.iter().map(|&x| x.max(0) as f64).collect(),
            dept_zero: prefix_zero(&m.dept_free, depts, w),
            prec_zero: prefix_zero(&m.prec_free, precs, w),
            lambda: vec![0.0; m.dept_free.len()],
            mu: vec![0.0; m.prec_free.len()],
            rho: vec![0.0; m.school_asked.len()],
            fr,
            lo,
            hi,
            best: from.map_or_else(|| trivial(m), |r| r.best),
            iterations: 0,
            record: (
                vec![0.0; m.dept_free.len()],
                vec![0.0; m.prec_free.len()],
                vec![0.0; m.school_asked.len()],
            ),
            bar: (vec![], vec![], vec![], vec![]),
            theta: 0.1,
            alpha: 0.1,
            reds: 0,
            level: 0.02,
            argmax: lo,
            done: false,
            gain_mark: f64::INFINITY,
            since_gain: 0,
        };
        if let Some(r) = from {
            r.record.0.clone_into(&mut out.lambda);
            r.record.1.clone_into(&mut out.mu);
            r.record.2.clone_into(&mut out.rho);
            out.record = r.record.clone();
        }
        out
    }

    /// Whether the bound has stopped improving: less than a millionth of it over the last
    /// `patience` steps.
    pub fn stalled(&self, patience: u32) -> bool {
        self.since_gain >= patience
    }

    /// `max over τ in lo..=hi of F·τ − Σ ρ_s·need_s(τ)` and that `τ`'s index.
    fn fairness(&self) -> (f64, usize) {
        let (f, fr) = (self.m.fairness, &self.fr);
        let mut best = (f64::NEG_INFINITY, self.lo);
        let mut owed = 0.0;
        for g in 0..=self.hi {
            if g >= self.lo {
                let (k, a) = fr.tau[g];
                let v = f * k as f64 / a as f64 - owed;
                if v > best.0 {
                    best = (v, g);
                }
            }
            // Above this fraction, these schools need one more student.
            for &s in &fr.school[fr.start[g]..fr.start[g + 1]] {
                owed += self.rho[s as usize];
            }
        }
        best
    }

    /// One evaluation at the current prices and one subgradient step. Returns false once
    /// the step size has shrunk to nothing (or the bound meets `lower`).
    pub fn step(&mut self, lower: f64) -> bool {
        let (m, w) = (self.m, self.w);
        let prefix = |v: &[f64]| {
            let rows = v.len() / w;
            let mut out = vec![0.0f64; rows * (w + 1)];
            for r in 0..rows {
                for k in 0..w {
                    out[r * (w + 1) + k + 1] = out[r * (w + 1) + k] + v[r * w + k];
                }
            }
            out
        };
        let pl = prefix(&self.lambda);
        let pm = prefix(&self.mu);
        let window = |p: &[f64], row: usize, s: usize, len: usize| {
            p[row * (w + 1) + s + len] - p[row * (w + 1) + s]
        };
        let zero = |p: &[u32], row: usize, s: usize, len: usize| {
            p[row * (w + 1) + s + len] - p[row * (w + 1) + s]
        };
        let mut dept_x = vec![0.0f64; self.lambda.len()];
        let mut prec_x = vec![0.0f64; self.mu.len()];
        let mut school_x = vec![0.0f64; self.rho.len()];
        let mut value = 0.0;
        for (r, q) in m.reqs.iter().enumerate() {
            let bonus = self.rho[q.school as usize];
            // A pinned student is placed whatever its price.
            let mut free_students = q.students as f64;
            for pin in &m.pins[r] {
                let o = &q.opts[pin.opt as usize];
                let (d, s) = (o.dept as usize, pin.start as usize);
                let mut v = o.weight + bonus - window(&pl, d, s, q.len);
                if pin.prec != NONE {
                    v -= window(&pm, pin.prec as usize, s, q.len);
                }
                value += v;
                free_students -= 1.0;
                add(&mut dept_x, d, s, q.len, w, 1.0);
                if pin.prec != NONE {
                    add(&mut prec_x, pin.prec as usize, s, q.len, w, 1.0);
                }
                school_x[q.school as usize] += 1.0;
            }
            if free_students <= 0.0 {
                continue;
            }
            if q.together && m.pins[r].is_empty() && q.students > 1 {
                let n = q.students as usize;
                // All or none in one (department, start): only where the seats and the
                // preceptors' slots over the whole window could hold every student, which
                // no price can fake — this is what lifts the bound above the LP's.
                let mut best = (0.0f64, usize::MAX, 0usize);
                let mut slots: Vec<(f64, u32)> = vec![];
                let mut chosen: Vec<(f64, u32)> = vec![];
                for (oi, o) in q.opts.iter().enumerate() {
                    let d = o.dept as usize;
                    for s in q.earliest..=q.latest {
                        if min_room(&m.dept_free, d, s, q.len, w) < n as i32 {
                            continue;
                        }
                        let base = n as f64 * (o.weight + bonus - window(&pl, d, s, q.len));
                        if base <= best.0 {
                            continue;
                        }
                        let mut v = base;
                        if q.clinical {
                            slots.clear();
                            for &p in &o.precs {
                                let room = min_room(&m.prec_free, p as usize, s, q.len, w);
                                let c = window(&pm, p as usize, s, q.len);
                                for _ in 0..room.clamp(0, n as i32) {
                                    slots.push((c, p));
                                }
                            }
                            if slots.len() < n {
                                continue;
                            }
                            slots.sort_by(|a, b| a.0.total_cmp(&b.0));
                            v -= slots[..n].iter().map(|x| x.0).sum::<f64>();
                        }
                        if v > best.0 {
                            best = (v, oi, s);
                            chosen.clear();
                            if q.clinical {
                                chosen.extend_from_slice(&slots[..n]);
                            }
                        }
                    }
                }
                if best.1 != usize::MAX {
                    value += best.0;
                    let d = q.opts[best.1].dept as usize;
                    add(&mut dept_x, d, best.2, q.len, w, n as f64);
                    for &(_, p) in &chosen {
                        add(&mut prec_x, p as usize, best.2, q.len, w, 1.0);
                    }
                    school_x[q.school as usize] += n as f64;
                }
                continue;
            }
            let mut best = (0.0f64, usize::MAX, 0usize, NONE);
            for (oi, o) in q.opts.iter().enumerate() {
                let d = o.dept as usize;
                for s in q.earliest..=q.latest {
                    if zero(&self.dept_zero, d, s, q.len) > 0 {
                        continue;
                    }
                    let base = o.weight + bonus - window(&pl, d, s, q.len);
                    if base <= best.0 {
                        continue;
                    }
                    let (v, p) = if q.clinical {
                        let mut cheapest = (f64::INFINITY, NONE);
                        for &p in &o.precs {
                            if zero(&self.prec_zero, p as usize, s, q.len) == 0 {
                                let c = window(&pm, p as usize, s, q.len);
                                if c < cheapest.0 {
                                    cheapest = (c, p);
                                }
                            }
                        }
                        (base - cheapest.0, cheapest.1)
                    } else {
                        (base, NONE)
                    };
                    if v > best.0 {
                        best = (v, oi, s, p);
                    }
                }
            }
            if best.1 != usize::MAX {
                value += free_students * best.0;
                let d = q.opts[best.1].dept as usize;
                add(&mut dept_x, d, best.2, q.len, w, free_students);
                if best.3 != NONE {
                    add(
                        &mut prec_x,
                        best.3 as usize,
                        best.2,
                        q.len,
                        w,
                        free_students,
                    );
                }
                school_x[q.school as usize] += free_students;
            }
        }
        let priced: f64 = self
            .lambda
            .iter()
            .zip(&self.dept_cap)
            .map(|(l, c)| l * c)
            .sum::<f64>()
            + self
                .mu
                .iter()
                .zip(&self.prec_cap)
                .map(|(u, c)| u * c)
                .sum::<f64>();
        let (fair, g) = self.fairness();
        let (k, a) = self.fr.tau[g];
        self.argmax = g;
        let total = value + priced + fair;
        self.iterations += 1;
        // Needed per school at the best τ.
        let need: Vec<f64> = m
            .school_asked
            .iter()
            .map(|&asked| (k * asked.max(0) as u64).div_ceil(a) as f64)
            .collect();
        let first = self.iterations == 1;
        if first {
            self.bar = (
                dept_x.clone(),
                prec_x.clone(),
                school_x.clone(),
                need.clone(),
            );
            self.theta = 0.1;
            self.alpha = 0.1;
        }
        // The volume algorithm (Barahona and Anbil): the direction is the subgradient of the
        // averaged relaxed solutions, which damps the all-or-nothing swings of single ones;
        // a step is taken from the best prices so far.
        if !first {
            let mix = |bar: &mut Vec<f64>, x: &[f64], al: f64| {
                for (b, v) in bar.iter_mut().zip(x) {
                    *b = al * v + (1.0 - al) * *b;
                }
            };
            let al = self.alpha;
            mix(&mut self.bar.0, &dept_x, al);
            mix(&mut self.bar.1, &prec_x, al);
            mix(&mut self.bar.2, &school_x, al);
            mix(&mut self.bar.3, &need, al);
        }
        if total < self.gain_mark - 1e-6 * total.abs().max(1.0) {
            self.gain_mark = total;
            self.since_gain = 0;
        } else {
            self.since_gain += 1;
        }
        if total < self.best - 1e-9 {
            self.best = total;
            self.record = (self.lambda.clone(), self.mu.clone(), self.rho.clone());
            self.reds = 0;
            self.theta = (self.theta * 1.1).min(2.0);
        } else {
            self.reds += 1;
            if self.reds >= 20 {
                self.theta *= 0.66;
                self.reds = 0;
                if self.theta < 1e-4 {
                    // Stuck: start averaging afresh from here with a moderate step.
                    self.theta = 0.02;
                    self.bar = (dept_x, prec_x, school_x, need);
                    self.alpha = (self.alpha * 0.5).max(0.005);
                }
            }
        }
        if self.best <= lower + 1e-9 {
            return false;
        }
        let (ld, lp, lr) = (&self.record.0, &self.record.1, &self.record.2);
        // Subgradients at the averaged solution: room minus use; placed minus needed.
        let gd: Vec<f64> = self
            .dept_cap
            .iter()
            .zip(&self.bar.0)
            .map(|(c, x)| c - x)
            .collect();
        let gp: Vec<f64> = self
            .prec_cap
            .iter()
            .zip(&self.bar.1)
            .map(|(c, x)| c - x)
            .collect();
        let gs: Vec<f64> = self
            .bar
            .2
            .iter()
            .zip(&self.bar.3)
            .map(|(x, n)| x - n)
            .collect();
        let active = |g: &f64, y: &f64| *g < 0.0 || *y > 0.0;
        let norm: f64 = gd
            .iter()
            .zip(ld)
            .filter(|(g, l)| active(g, l))
            .map(|(g, _)| g * g)
            .sum::<f64>()
            + gp.iter()
                .zip(lp)
                .filter(|(g, u)| active(g, u))
                .map(|(g, _)| g * g)
                .sum::<f64>()
            + gs.iter()
                .zip(lr)
                .filter(|(g, r)| active(g, r))
                .map(|(g, _)| g * g)
                .sum::<f64>();
        if norm <= 1e-12 {
            return false;
        }
        // Aim a little below the best value, never below the best known plan.
        let target = (self.best - self.level * self.best.abs().max(1.0)).max(lower);
        let step = self.theta * (self.best - target).max(1e-9) / norm;
        for ((l, r), g) in self.lambda.iter_mut().zip(ld).zip(&gd) {
            *l = (r - step * g).max(0.0);
        }
        for ((u, r), g) in self.mu.iter_mut().zip(lp).zip(&gp) {
            *u = (r - step * g).max(0.0);
        }
        for ((x, r), g) in self.rho.iter_mut().zip(lr).zip(&gs) {
            *x = (r - step * g).max(0.0);
        }
        true
    }

    /// The bound, with a hair of room for floating-point sums.
    pub fn bound(&self) -> f64 {
        self.best + 1e-9 * self.best.abs().max(1.0)
    }
}

fn min_room(free: &[i32], row: usize, s: usize, len: usize, w: usize) -> i32 {
    free[row * w + s..row * w + s + len]
        .iter()
        .copied()
        .min()
        .unwrap_or(0)
}

fn add(x: &mut [f64], row: usize, s: usize, len: usize, w: usize, n: f64) {
    for k in s..s + len {
        x[row * w + k] += n;
    }
}

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
fn could_place(m: &Model, r: usize, n: usize) -> bool {
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
fn best_share(m: &Model) -> (f64, usize) {
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
    start: Vec<usize>,
    school: Vec<u32>,
}

fn fractions(m: &Model) -> Fractions {
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
    m: &'a Model,
    fr: Arc<Fractions>,
    leaves: Vec<Relaxation<'a>>,
    pub iterations: u64,
    pub splits: u64,
    /// Steps without progress before a range is split (grows with the range's steps).
    pub patience: u32,
}

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
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::parse_problem;

    /// One department, one preceptor-free internship discipline; schools asking 1, 2 and 3.
    fn model(asked: &[i64], fairness: f64) -> Model {
        let requests: Vec<String> = asked
            .iter()
            .enumerate()
            .map(|(i, n)| {
                format!(
                    r#"{{"id":"R{i}","school":"S{i}","discipline":"RAD","kind":"internship","students":{n},
                    "weeks":1,"earliest_start":0,"latest_start":0,"together":false,
                    "options":[{{"department":"D","weight":1}}]}}"#
                )
            })
            .collect();
        let text = format!(
            r#"{{"format":"practicum-allocation/1","weeks":1,"fairness_weight":{fairness},
            "departments":[{{"id":"D","capacity":10,"disciplines":["RAD"]}}],"preceptors":[],
            "requests":[{}]}}"#,
            requests.join(",")
        );
        Model::new(&parse_problem(&text).expect("valid"))
    }

    #[test]
    fn the_fractions_are_every_share_in_order_with_equal_ones_merged() {
        let m = model(&[1, 2, 3], 10.0);
        let fr = fractions(&m);
        let shares: Vec<(u64, u64)> = fr.tau.clone();
        // 0, 1/3, 1/2, 2/3, 1 (0/1, 0/2, 0/3 are one; 1/1, 2/2, 3/3 are one).
        assert_eq!(shares, vec![(0, 1), (1, 3), (1, 2), (2, 3), (1, 1)]);
        // Above 0 every school needs one more student; above 1/3 the 3-student school does.
        assert_eq!(fr.school[fr.start[0]..fr.start[1]].len(), 3);
        assert_eq!(&fr.school[fr.start[1]..fr.start[2]], &[2]);
    }

    #[test]
    fn the_fairness_sweep_charges_whole_students() {
        let m = model(&[1, 2, 3], 10.0);
        let mut r = Relaxation::new(&m);
        // Free students: the best share is 1, worth F.
        assert_eq!(r.fairness(), (10.0, r.fr.tau.len() - 1));
        // A student of the one-student school costs 20: any share above 0 needs it, so the
        // best is 0 (the LP's price would be 20·τ, and τ = 1/3 would still look worth 10/3 − 0).
        r.rho = vec![20.0, 0.0, 0.0];
        assert_eq!(r.fairness(), (0.0, 0));
        // Each of the 3-student school's students costs 3: share 1/2 needs 2 of them (6),
        // share 1 needs all 3 (9), worth 10 − 9 = 1 against 5 − 6 < 0 and 10/3 − 3 = 1/3.
        r.rho = vec![0.0, 0.0, 3.0];
        let (v, g) = r.fairness();
        assert!((v - 1.0).abs() < 1e-12, "{v}");
        assert_eq!(r.fr.tau[g], (1, 1));
    }

    #[test]
    fn a_split_bound_stays_above_a_plan_that_places_everyone() {
        // Room for everyone: the optimum is 6 students × 1 + F × 1 = 16.
        let m = model(&[1, 2, 3], 10.0);
        let mut b = Bound::new(&m);
        b.patience = 1;
        for _ in 0..500 {
            if !b.step(0.0) {
                break;
            }
        }
        assert!(b.bound() >= 16.0 - 1e-9, "{}", b.bound());
        assert!(b.bound() <= 16.0 + 1e-6, "{}", b.bound());
    }
}

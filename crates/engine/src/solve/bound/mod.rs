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

mod shares;
pub use shares::*;

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

/// The volume algorithm's averaging: each relaxed solution's share of the average. A long
/// memory (small) damps the swings of the all-or-nothing relaxed solutions; 0.1 was too
/// short (same steps, 0.015 instead: hospital-hard 1171.1 -> 1167.8 at 60,000, system-hard
/// 4375.0 -> 4351.7 at 30,000, consortium-hard 47,748 -> 46,542 at 1,200).
const ALPHA: f64 = 0.015;

/// A range has stalled when its bound has gained less than this share over `patience` steps
/// (less, and a range creeps down by hundredths for seconds before it is split).
const GAIN: f64 = 2e-5;

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
            alpha: ALPHA,
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
            self.alpha = ALPHA;
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
        if total < self.gain_mark - GAIN * total.abs().max(1.0) {
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

    /// The prices of the best value so far: seats, then preceptor slots.
    pub fn prices(&self) -> (Vec<f64>, Vec<f64>) {
        (self.record.0.clone(), self.record.1.clone())
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

#[cfg(test)]
mod tests;

//! A proven upper bound by Lagrangian relaxation.
//!
//! Department-week seats (λ), preceptor-week slots (μ) and the fairness term are priced
//! instead of enforced. Writing the fairness term as `F·t` with `t ≤ placed_s / asked_s` and
//! pricing each school's constraint with `π_s ≥ 0`, `Σ π_s = F`, turns it into a bonus of
//! `π_s / asked_s` per placed student of school `s`. What is left splits by request: each
//! student takes the (option, start, preceptor) with the best priced value, or stays out. For
//! any prices the relaxed optimum is at least the true optimum, so the smallest value seen is
//! a bound; subgradient steps (Polyak's rule against the best known objective) lower it.
//!
//! Room that is already zero (a full week, a preceptor on leave) is kept as a hard rule: no
//! feasible plan uses it, so the relaxation may forbid it too, which tightens the bound.
use super::model::{Model, NONE};

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
    pub pi: Vec<f64>,
    pub best: f64,
    pub iterations: u64,
    theta: f64,
    stale: u32,
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
        let w = m.weeks.max(1);
        let depts = m.dept_free.len() / w;
        let precs = m.prec_free.len() / w;
        Relaxation {
            m,
            w,
            dept_cap: m.dept_free.iter().map(|&x| x.max(0) as f64).collect(),
            prec_cap: m.prec_free.iter().map(|&x| x.max(0) as f64).collect(),
            dept_zero: prefix_zero(&m.dept_free, depts, w),
            prec_zero: prefix_zero(&m.prec_free, precs, w),
            lambda: vec![0.0; m.dept_free.len()],
            mu: vec![0.0; m.prec_free.len()],
            pi: start_prices(m),
            best: trivial(m),
            iterations: 0,
            theta: 1.0,
            stale: 0,
        }
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
        let mut school_x = vec![0.0f64; self.pi.len()];
        let mut value = 0.0;
        for (r, q) in m.reqs.iter().enumerate() {
            let bonus =
                self.pi[q.school as usize] / m.school_asked[q.school as usize].max(1) as f64;
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
        // With Σπ = F the `t` term vanishes; an empty school list leaves F·t ≤ 0.
        let total = value + priced;
        self.iterations += 1;
        if total < self.best - 1e-9 {
            self.best = total;
            self.stale = 0;
        } else {
            self.stale += 1;
            if self.stale >= 60 {
                self.theta /= 2.0;
                self.stale = 0;
            }
        }
        if self.best <= lower + 1e-9 || self.theta < 1e-5 {
            return false;
        }
        // Subgradients: room minus use; each school's share, centred to stay on the simplex.
        let gd: Vec<f64> = self
            .dept_cap
            .iter()
            .zip(&dept_x)
            .map(|(c, x)| c - x)
            .collect();
        let gp: Vec<f64> = self
            .prec_cap
            .iter()
            .zip(&prec_x)
            .map(|(c, x)| c - x)
            .collect();
        let shares: Vec<f64> = school_x
            .iter()
            .zip(&m.school_asked)
            .map(|(x, &a)| x / a.max(1) as f64)
            .collect();
        let mean = shares.iter().sum::<f64>() / shares.len().max(1) as f64;
        let gs: Vec<f64> = shares.iter().map(|s| s - mean).collect();
        let norm: f64 = gd
            .iter()
            .zip(&self.lambda)
            .filter(|(g, l)| **g < 0.0 || **l > 0.0)
            .map(|(g, _)| g * g)
            .sum::<f64>()
            + gp.iter()
                .zip(&self.mu)
                .filter(|(g, u)| **g < 0.0 || **u > 0.0)
                .map(|(g, _)| g * g)
                .sum::<f64>()
            + gs.iter().map(|g| g * g).sum::<f64>();
        if norm <= 1e-12 {
            return false;
        }
        let step = self.theta * (total - lower).max(1e-6) / norm;
        for (l, g) in self.lambda.iter_mut().zip(&gd) {
            *l = (*l - step * g).max(0.0);
        }
        for (u, g) in self.mu.iter_mut().zip(&gp) {
            *u = (*u - step * g).max(0.0);
        }
        let moved: Vec<f64> = self
            .pi
            .iter()
            .zip(&shares)
            .map(|(p, s)| p - step * s)
            .collect();
        self.pi = project_simplex(&moved, m.fairness);
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

/// The fairness prices to start from: all on the school whose share is capped lowest when
/// one is capped (its bonus then cannot exceed `F` times that cap), else spread evenly.
fn start_prices(m: &Model) -> Vec<f64> {
    let schools = m.school_asked.len();
    let (cap, worst) = best_share(m);
    if schools == 0 {
        return vec![];
    }
    if cap < 1.0 {
        let mut pi = vec![0.0; schools];
        pi[worst] = m.fairness;
        pi
    } else {
        vec![m.fairness / schools as f64; schools]
    }
}

/// The nearest point with `π ≥ 0` and `Σ π = total` (sort-based projection).
fn project_simplex(v: &[f64], total: f64) -> Vec<f64> {
    if v.is_empty() {
        return vec![];
    }
    let mut u = v.to_vec();
    u.sort_by(|a, b| b.total_cmp(a));
    let mut sum = 0.0;
    let mut tau = 0.0;
    for (i, x) in u.iter().enumerate() {
        sum += x;
        let t = (sum - total) / (i + 1) as f64;
        if x - t > 0.0 {
            tau = t;
        }
    }
    v.iter().map(|x| (x - tau).max(0.0)).collect()
}

#[cfg(test)]
mod tests {
    use super::project_simplex;

    #[test]
    fn projection_lands_on_the_simplex() {
        let p = project_simplex(&[3.0, -1.0, 0.5], 2.0);
        assert!((p.iter().sum::<f64>() - 2.0).abs() < 1e-12);
        assert!(p.iter().all(|x| *x >= 0.0));
        assert_eq!(p[1], 0.0);
    }
}

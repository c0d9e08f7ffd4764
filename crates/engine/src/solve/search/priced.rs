//! The repair guided by the bound's prices: a student takes the place whose weight most
//! exceeds the price of the seats and preceptor slots it uses, rather than the heaviest
//! option that fits. The prices say which weeks other students need more (the
//! relaxation's view of the whole term), where the plain repair sees only the one student.
use super::*;

impl State {
    /// Places up to `want` of `r`'s missing students (not a cohort) at their best priced
    /// places; ties go to the snugger place, then to chance. Returns how many were placed.
    pub(super) fn fill_priced(&mut self, m: &Model, r: usize, rng: &mut Rng, want: usize) -> usize {
        let Some(prices) = self.prices.clone() else {
            return 0;
        };
        let q = &m.reqs[r];
        let w = m.weeks;
        let window = |v: &[f64], row: usize, s: usize| {
            v[row * w + s..row * w + s + q.len].iter().sum::<f64>()
        };
        let mut done = 0;
        while done < want {
            let mut best: Option<(f64, u32, u64, Place)> = None;
            for (oi, o) in q.opts.iter().enumerate() {
                for s in q.earliest..=q.latest {
                    if self.dept_room(m, o.dept, s, q.len) < 1 {
                        continue;
                    }
                    let base = o.weight - window(&prices.dept, o.dept as usize, s);
                    let mut consider = |v: f64, fit: u32, p: u32, rng: &mut Rng| {
                        let tie = rng.next() >> 1;
                        let better = best.is_none_or(|b| {
                            v > b.0 + 1e-9 || v > b.0 - 1e-9 && (fit, tie) > (b.1, b.2)
                        });
                        if better {
                            let pl = Place {
                                opt: oi as u16,
                                start: s as u16,
                                prec: p,
                            };
                            best = Some((v, fit, tie, pl));
                        }
                    };
                    if q.clinical {
                        for &p in &o.precs {
                            if self.prec_room(m, p, s, q.len) >= 1 {
                                let fit = self.snug(&self.prec_rem, m, p as usize, s, q.len);
                                consider(base - window(&prices.prec, p as usize, s), fit, p, rng);
                            }
                        }
                    } else {
                        let fit = self.snug(&self.dept_rem, m, o.dept as usize, s, q.len);
                        consider(base, fit, NONE, rng);
                    }
                }
            }
            let Some((_, _, _, pl)) = best else {
                break;
            };
            self.add(m, r, pl);
            done += 1;
        }
        done
    }
}

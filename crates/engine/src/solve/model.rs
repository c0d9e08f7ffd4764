//! The problem in indices and flat arrays, built once: departments, preceptors and requests
//! become numbers; weekly room becomes `rows × weeks` arrays with the fixed load already
//! taken out. Options a request can never use (a department that does not host its
//! discipline) are dropped here, so the search never looks at them.
use crate::problem::{Kind, Problem};
use std::collections::HashMap;

pub const NONE: u32 = u32::MAX;

pub struct Opt {
    pub dept: u32,
    pub weight: f64,
    /// Preceptors of the request's discipline in that department with any room at all.
    pub precs: Vec<u32>,
}

pub struct Req {
    pub school: u32,
    pub students: i32,
    pub len: usize,
    pub earliest: usize,
    pub latest: usize,
    pub together: bool,
    pub clinical: bool,
    /// Heaviest first.
    pub opts: Vec<Opt>,
}

/// One placed student: option index into `Req::opts`, start week, preceptor (or `NONE`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Place {
    pub opt: u16,
    pub start: u16,
    pub prec: u32,
}

pub struct Model {
    pub weeks: usize,
    pub fairness: f64,
    /// Seats left per department and week after the fixed load (may be negative).
    pub dept_free: Vec<i32>,
    /// Slots left per preceptor and week after the fixed load; 0 in unavailable weeks.
    pub prec_free: Vec<i32>,
    pub reqs: Vec<Req>,
    pub school_asked: Vec<i64>,
    pub dept_ids: Vec<String>,
    pub prec_ids: Vec<String>,
    pub req_ids: Vec<String>,
    /// Pinned places per request (always kept).
    pub pins: Vec<Vec<Place>>,
    /// Pins that could not be expressed (unknown option, window or preceptor).
    pub unusable_pins: usize,
}

impl Model {
    pub fn new(p: &Problem) -> Model {
        let weeks = p.weeks.max(0) as usize;
        let dept_index: HashMap<&str, u32> = p
            .departments
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.as_str(), i as u32))
            .collect();
        let prec_index: HashMap<&str, u32> = p
            .preceptors
            .iter()
            .enumerate()
            .map(|(i, x)| (x.id.as_str(), i as u32))
            .collect();
        let mut dept_free = vec![0i32; p.departments.len() * weeks];
        for (i, d) in p.departments.iter().enumerate() {
            for w in 0..weeks {
                dept_free[i * weeks + w] = d.capacity.clamp(0, i32::MAX as i64) as i32;
            }
        }
        let mut prec_free = vec![0i32; p.preceptors.len() * weeks];
        for (i, x) in p.preceptors.iter().enumerate() {
            for w in 0..weeks {
                prec_free[i * weeks + w] = x.max_students.clamp(0, i32::MAX as i64) as i32;
            }
            for &w in &x.unavailable_weeks {
                if (0..weeks as i64).contains(&w) {
                    prec_free[i * weeks + w as usize] = 0;
                }
            }
        }
        for f in &p.fixed {
            let Some(&d) = dept_index.get(f.department.as_str()) else {
                continue;
            };
            for w in f.start.max(0)..(f.start + f.weeks).min(weeks as i64) {
                dept_free[d as usize * weeks + w as usize] -= 1;
                if let Some(&x) = f.preceptor.as_deref().and_then(|x| prec_index.get(x)) {
                    prec_free[x as usize * weeks + w as usize] -= 1;
                }
            }
        }
        // Preceptors with any room, by (department, discipline), in the problem's order.
        let mut precs_of: HashMap<(&str, &str), Vec<u32>> = HashMap::new();
        for (i, x) in p.preceptors.iter().enumerate() {
            if x.max_students > 0 {
                precs_of
                    .entry((x.department.as_str(), x.discipline.as_str()))
                    .or_default()
                    .push(i as u32);
            }
        }
        let mut school_index: HashMap<&str, u32> = HashMap::new();
        let mut school_asked: Vec<i64> = vec![];
        let mut reqs = vec![];
        for r in &p.requests {
            let next = school_index.len() as u32;
            let school = *school_index.entry(r.school.as_str()).or_insert(next);
            if school as usize == school_asked.len() {
                school_asked.push(0);
            }
            school_asked[school as usize] += r.students.max(0);
            let clinical = r.kind == Kind::Clinical;
            let mut opts: Vec<Opt> = r
                .options
                .iter()
                .filter_map(|o| {
                    let d = *dept_index.get(o.department.as_str())?;
                    let dept = &p.departments[d as usize];
                    if !dept.disciplines.contains(&r.discipline) {
                        return None;
                    }
                    let precs: Vec<u32> = if clinical {
                        precs_of
                            .get(&(o.department.as_str(), r.discipline.as_str()))
                            .cloned()
                            .unwrap_or_default()
                    } else {
                        vec![]
                    };
                    if clinical && precs.is_empty() {
                        return None;
                    }
                    Some(Opt {
                        dept: d,
                        weight: o.weight,
                        precs,
                    })
                })
                .collect();
            opts.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.dept.cmp(&b.dept)));
            let latest = r.latest_start.min(p.weeks - r.weeks).max(-1);
            reqs.push(Req {
                school,
                students: r.students.clamp(0, i32::MAX as i64) as i32,
                len: r.weeks.max(1) as usize,
                earliest: r.earliest_start.max(0) as usize,
                latest: latest.max(0) as usize,
                together: r.together,
                clinical,
                opts: if latest < r.earliest_start {
                    vec![]
                } else {
                    opts
                },
            });
        }
        let req_index: HashMap<&str, usize> = p
            .requests
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.as_str(), i))
            .collect();
        let mut pins: Vec<Vec<Place>> = vec![vec![]; reqs.len()];
        let mut unusable_pins = 0;
        for a in &p.pins {
            let place = req_index.get(a.request.as_str()).and_then(|&ri| {
                let r = &reqs[ri];
                let d = *dept_index.get(a.department.as_str())?;
                let opt = r.opts.iter().position(|o| o.dept == d)?;
                let start = usize::try_from(a.start).ok()?;
                if start < r.earliest || start > r.latest {
                    return None;
                }
                let prec = match (&a.preceptor, r.clinical) {
                    (Some(x), true) => {
                        let x = *prec_index.get(x.as_str())?;
                        r.opts[opt].precs.contains(&x).then_some(x)?
                    }
                    (None, false) => NONE,
                    _ => return None,
                };
                Some((
                    ri,
                    Place {
                        opt: opt as u16,
                        start: start as u16,
                        prec,
                    },
                ))
            });
            match place {
                Some((ri, pl)) => pins[ri].push(pl),
                None => unusable_pins += 1,
            }
        }
        Model {
            weeks,
            fairness: p.fairness_weight,
            dept_free,
            prec_free,
            reqs,
            school_asked,
            dept_ids: p.departments.iter().map(|d| d.id.clone()).collect(),
            prec_ids: p.preceptors.iter().map(|x| x.id.clone()).collect(),
            req_ids: p.requests.iter().map(|r| r.id.clone()).collect(),
            pins,
            unusable_pins,
        }
    }

    pub fn worst_share(&self, per_school: &[i64]) -> f64 {
        let worst = self
            .school_asked
            .iter()
            .zip(per_school)
            .map(|(&asked, &got)| {
                if asked > 0 {
                    got as f64 / asked as f64
                } else {
                    0.0
                }
            })
            .fold(f64::INFINITY, f64::min);
        if worst.is_finite() { worst } else { 0.0 }
    }
}

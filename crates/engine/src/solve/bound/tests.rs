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

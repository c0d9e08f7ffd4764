use super::*;
use proptest::prelude::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn rule(code: &str, validity: Validity) -> Rule {
    Rule {
        code: code.into(),
        validity,
        applies_to: AppliesTo::default(),
    }
}

fn placement() -> PlacementFacts {
    PlacementFacts {
        id: "p1".into(),
        kind: "clinical".into(),
        discipline: "radiography".into(),
        site_id: "s1".into(),
        department_id: "d1".into(),
        starts_on: d("2027-02-01"),
        ends_on: d("2027-04-30"),
    }
}

fn ev(code: &str, status: DocStatus, completed: &str, expires: Option<&str>) -> Evidence {
    Evidence {
        requirement_code: code.into(),
        status,
        completed_on: d(completed),
        expires_on: expires.map(d),
        placement_id: None,
    }
}

const TODAY: &str = "2027-01-04";

fn state(r: &Rule, e: &[Evidence]) -> ItemState {
    item(r, e, &placement(), d(TODAY)).state
}

#[test]
fn each_state() {
    let tb = rule("tb", Validity::Years(1));
    assert_eq!(state(&tb, &[]), ItemState::Missing);
    assert_eq!(
        state(&tb, &[ev("tb", DocStatus::Submitted, "2026-12-01", None)]),
        ItemState::Submitted
    );
    assert_eq!(
        state(&tb, &[ev("tb", DocStatus::Rejected, "2026-12-01", None)]),
        ItemState::Rejected
    );
    assert_eq!(
        state(&tb, &[ev("tb", DocStatus::Verified, "2026-12-01", None)]),
        ItemState::Verified
    );
    assert_eq!(
        state(&tb, &[ev("tb", DocStatus::Verified, "2025-12-01", None)]),
        ItemState::Expired
    );
    assert_eq!(
        state(&tb, &[ev("tb", DocStatus::Verified, "2026-03-01", None)]),
        ItemState::ExpiresDuringPlacement
    );
    // A resubmission after a rejection is under review again.
    assert_eq!(
        state(
            &tb,
            &[
                ev("tb", DocStatus::Rejected, "2026-12-01", None),
                ev("tb", DocStatus::Submitted, "2026-12-02", None)
            ]
        ),
        ItemState::Submitted
    );
}

#[test]
fn the_longest_lasting_verified_evidence_counts() {
    let bls = rule("bls", Validity::UntilExpiry);
    let old = ev("bls", DocStatus::Verified, "2024-01-01", Some("2026-12-31"));
    let new = ev("bls", DocStatus::Verified, "2026-12-15", Some("2028-12-31"));
    assert_eq!(state(&bls, std::slice::from_ref(&old)), ItemState::Expired);
    assert_eq!(state(&bls, &[old, new]), ItemState::Verified);
    // A card without an expiry date proves nothing.
    assert_eq!(
        state(&bls, &[ev("bls", DocStatus::Verified, "2026-12-15", None)]),
        ItemState::Expired
    );
}

#[test]
fn per_placement_evidence_counts_only_for_its_placement() {
    let conf = rule("confidentiality", Validity::PerPlacement);
    let mut e = ev("confidentiality", DocStatus::Verified, "2026-12-01", None);
    assert_eq!(state(&conf, std::slice::from_ref(&e)), ItemState::Missing);
    e.placement_id = Some("p1".into());
    assert_eq!(state(&conf, &[e]), ItemState::Verified);
}

#[test]
fn within_days_before_start() {
    let tb = rule("tb", Validity::WithinDaysBeforeStart(90));
    assert_eq!(
        state(&tb, &[ev("tb", DocStatus::Verified, "2026-11-03", None)]),
        ItemState::Verified
    );
    assert_eq!(
        state(&tb, &[ev("tb", DocStatus::Verified, "2026-11-02", None)]),
        ItemState::Missing,
        "91 days before"
    );
}

#[test]
fn flu_applies_only_in_season() {
    let flu = rule("influenza", Validity::FluSeason);
    let mut summer = placement();
    summer.starts_on = d("2027-05-01");
    summer.ends_on = d("2027-08-31");
    assert!(checklist(std::slice::from_ref(&flu), &[], &summer, d(TODAY)).is_empty());
    assert_eq!(
        state(
            &flu,
            &[ev("influenza", DocStatus::Verified, "2026-10-10", None)]
        ),
        ItemState::Verified
    );
    let mut long = placement();
    long.ends_on = d("2027-05-15");
    // The season ends on 31 March: a shot valid to then covers a placement running into May.
    assert_eq!(
        item(
            &flu,
            &[ev("influenza", DocStatus::Verified, "2026-10-10", None)],
            &long,
            d(TODAY)
        )
        .state,
        ItemState::Verified
    );
    // A shot from last season lapses during this one.
    assert_eq!(
        item(
            &flu,
            &[ev("influenza", DocStatus::Verified, "2025-10-10", None)],
            &long,
            d(TODAY)
        )
        .state,
        ItemState::Expired
    );
}

#[test]
fn clearance_from_states() {
    let rules = [rule("mmr", Validity::Once), rule("tb", Validity::Years(1))];
    let p = placement();
    let today = d(TODAY);
    assert_eq!(derive(&rules, &[], &p, today).status, "pending");
    let good = [
        ev("mmr", DocStatus::Verified, "2010-01-01", None),
        ev("tb", DocStatus::Verified, "2026-12-01", None),
    ];
    let c = derive(&rules, &good, &p, today);
    assert_eq!(
        (c.status.as_str(), c.missing.len(), c.expiring.len()),
        ("cleared", 0, 0)
    );
    let lapsing = [
        ev("mmr", DocStatus::Verified, "2010-01-01", None),
        ev("tb", DocStatus::Verified, "2026-03-01", None),
    ];
    let c = derive(&rules, &lapsing, &p, today);
    assert_eq!(c.status, "blocked");
    assert_eq!(c.expiring, ["tb"]);
    assert!(
        derive(&[], &[], &p, today).is_cleared(),
        "nothing applies: nothing to clear"
    );
    assert!(!without_requirements().is_cleared());
}

fn any_validity() -> impl Strategy<Value = Validity> {
    prop_oneof![
        Just(Validity::Once),
        (1u32..400).prop_map(Validity::Days),
        (1u32..30).prop_map(Validity::Months),
        (1u32..5).prop_map(Validity::Years),
        Just(Validity::UntilExpiry),
        Just(Validity::FluSeason),
        Just(Validity::PerPlacement),
        (1u32..120).prop_map(Validity::WithinDaysBeforeStart),
    ]
}

fn any_evidence() -> impl Strategy<Value = Evidence> {
    (
        0usize..3,
        0u8..3,
        -800i64..120,
        prop::option::of(-400i64..900),
        any::<bool>(),
    )
        .prop_map(|(c, s, done, exp, here)| {
            let base = d("2027-01-04");
            Evidence {
                requirement_code: ["a", "b", "c"][c].into(),
                status: [
                    DocStatus::Submitted,
                    DocStatus::Verified,
                    DocStatus::Rejected,
                ][s as usize],
                completed_on: base + chrono::Duration::days(done.min(0)),
                expires_on: exp.map(|e| base + chrono::Duration::days(e)),
                placement_id: here.then(|| "p1".to_string()),
            }
        })
}

fn rank(status: &str) -> u8 {
    match status {
        "cleared" => 2,
        "pending" => 1,
        _ => 0,
    }
}

proptest! {
    /// Adding a verified document valid through the last day never makes clearance worse.
    #[test]
    fn a_covering_document_never_makes_it_worse(
        validities in prop::collection::vec(any_validity(), 3),
        evidence in prop::collection::vec(any_evidence(), 0..8),
        which in 0usize..3,
    ) {
        let rules: Vec<Rule> = validities.iter().enumerate().map(|(i, v)| rule(["a", "b", "c"][i], *v)).collect();
        let p = placement();
        let today = d(TODAY);
        let before = derive(&rules, &evidence, &p, today);
        let code = ["a", "b", "c"][which];
        // Completed when each kind of rule counts it valid through the last day.
        let completed_on = match validities[which] {
            Validity::WithinDaysBeforeStart(_) => p.starts_on,
            Validity::FluSeason => d("2026-10-01"),
            _ => p.ends_on,
        };
        let good = Evidence {
            requirement_code: code.into(),
            status: DocStatus::Verified,
            completed_on,
            expires_on: Some(p.ends_on + chrono::Duration::days(400)),
            placement_id: Some(p.id.clone()),
        };
        let mut more = evidence.clone();
        more.push(good);
        let after = derive(&rules, &more, &p, today);
        prop_assert!(rank(&after.status) >= rank(&before.status), "{:?} -> {:?}", before, after);
    }

    /// Evidence that lapses before the last day never clears its requirement.
    #[test]
    fn a_lapsing_document_never_clears(days_short in 1i64..200, done in 0i64..300) {
        let p = placement();
        let bls = rule("bls", Validity::UntilExpiry);
        let e = Evidence {
            requirement_code: "bls".into(),
            status: DocStatus::Verified,
            completed_on: d("2026-01-01") - chrono::Duration::days(done),
            expires_on: Some(p.ends_on - chrono::Duration::days(days_short)),
            placement_id: None,
        };
        prop_assert!(!derive(&[bls], &[e], &p, d(TODAY)).is_cleared());
    }
}

/// Every stored document status reads back, and nothing else does (mutation testing).
#[test]
fn document_statuses_parse() {
    assert_eq!(DocStatus::parse("submitted"), Some(DocStatus::Submitted));
    assert_eq!(DocStatus::parse("verified"), Some(DocStatus::Verified));
    assert_eq!(DocStatus::parse("rejected"), Some(DocStatus::Rejected));
    assert_eq!(DocStatus::parse("Verified"), None);
    assert_eq!(DocStatus::parse(""), None);
}

/// The API's words for each state (API.md: the checklist's `state`).
#[test]
fn item_states_in_words() {
    let words: Vec<&str> = [
        ItemState::Verified,
        ItemState::Submitted,
        ItemState::Missing,
        ItemState::Rejected,
        ItemState::Expired,
        ItemState::ExpiresDuringPlacement,
    ]
    .into_iter()
    .map(ItemState::as_str)
    .collect();
    assert_eq!(
        words,
        [
            "verified",
            "submitted",
            "missing",
            "rejected",
            "expired",
            "expires_during_placement"
        ]
    );
}

/// Evidence valid through today has not expired yet: it lapses during the placement.
#[test]
fn evidence_valid_through_today_is_not_expired() {
    let bls = rule("bls", Validity::UntilExpiry);
    assert_eq!(
        state(
            &bls,
            &[ev("bls", DocStatus::Verified, "2025-01-01", Some(TODAY))]
        ),
        ItemState::ExpiresDuringPlacement
    );
    assert_eq!(
        state(
            &bls,
            &[ev(
                "bls",
                DocStatus::Verified,
                "2025-01-01",
                Some("2027-01-03")
            )]
        ),
        ItemState::Expired
    );
}

/// A rule that is not the flu shot applies whatever the season.
#[test]
fn other_rules_apply_in_summer_too() {
    let summer = PlacementFacts {
        starts_on: d("2027-06-01"),
        ends_on: d("2027-07-31"),
        ..placement()
    };
    assert!(applies(&rule("tb", Validity::Years(1)), &summer));
    assert!(!applies(&rule("influenza", Validity::FluSeason), &summer));
    assert!(applies(
        &rule("influenza", Validity::FluSeason),
        &placement()
    ));
}

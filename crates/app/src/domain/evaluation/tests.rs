//! The evaluation rules' unit tests.
use super::templates::scale;
use super::*;
use serde_json::json;

fn form() -> Form {
    parse_form(
        &json!([{ "title": "A", "items": [
            scale("safety", "Safe"),
            { "key": "ok", "label": "OK?", "type": "yes_no", "required": true },
            { "key": "note", "label": "Note", "type": "text" } ] }]),
        "sections",
    )
    .expect("valid")
}

#[test]
fn every_default_template_is_a_valid_form() {
    for (name, kind, _, sections) in default_templates() {
        assert!(KINDS.contains(&kind));
        parse_form(&sections, "sections").unwrap_or_else(|p| panic!("{name}: {p:?}"));
    }
}

#[test]
fn a_broken_form_reports_every_problem_with_its_path() {
    let p = parse_form(
        &json!([{ "title": "", "items": [
            { "key": "Bad Key", "label": "x", "type": "scale", "anchors": [{ "value": 2, "label": "b" }, { "value": 1, "label": "a" }] },
            { "key": "a", "label": "y", "type": "dial", "colour": 1 },
            { "key": "a", "label": "z", "type": "text", "anchors": [] } ] },
          { "title": "Empty", "items": [] }]),
        "sections",
    )
    .expect_err("invalid");
    let fields: Vec<_> =
        p.0.iter()
            .map(|e| e.field.clone().unwrap_or_default())
            .collect();
    for f in [
        "sections[0].title",
        "sections[0].items[0].key",
        "sections[0].items[0].anchors",
        "sections[0].items[1].type",
        "sections[0].items[1].colour",
        "sections[0].items[2].key",
        "sections[0].items[2].anchors",
        "sections[1].items",
    ] {
        assert!(fields.iter().any(|x| x == f), "{f} missing from {fields:?}");
    }
}

#[test]
fn answers_are_checked_against_the_form() {
    let f = form();
    let mut a = Answers::new();
    a.insert("safety".into(), json!(7));
    a.insert("extra".into(), json!(1));
    let codes: Vec<_> = check_answers(&f, &a, true)
        .0
        .iter()
        .map(|e| e.code)
        .collect();
    assert!(codes.contains(&ErrorCode::InvalidAnswer));
    assert!(codes.contains(&ErrorCode::UnknownItem));
    assert!(codes.contains(&ErrorCode::AnswerRequired));
    // A draft may leave required items out.
    let mut a = Answers::new();
    a.insert("safety".into(), json!(4));
    assert!(check_answers(&f, &a, false).is_empty());
    assert!(!check_answers(&f, &a, true).is_empty());
    a.insert("ok".into(), json!(true));
    assert!(check_answers(&f, &a, true).is_empty());
}

#[test]
fn due_days_follow_the_placement() {
    let s = NaiveDate::from_ymd_opt(2027, 2, 1).unwrap();
    let e = NaiveDate::from_ymd_opt(2027, 3, 31).unwrap();
    assert_eq!(
        due_on(Point::Midterm, s, e),
        NaiveDate::from_ymd_opt(2027, 3, 2).unwrap()
    );
    assert_eq!(due_on(Point::Final, s, e), e);
    assert_eq!(due_on(Point::Site, s, e), e);
    assert_eq!(urgency(e, e - Duration::days(1)), Urgency::NotYet);
    assert_eq!(urgency(e, e), Urgency::Due);
    assert_eq!(urgency(e, e + Duration::days(6)), Urgency::Due);
    assert_eq!(urgency(e, e + Duration::days(7)), Urgency::Late);
    assert!(still_reminded(e, e + Duration::days(29)));
    assert!(!still_reminded(e, e + Duration::days(30)));
    assert_eq!(urgency(e, e + Duration::days(400)), Urgency::Late);
}

#[test]
fn an_aggregate_of_fewer_than_three_is_withheld() {
    let f = form();
    let mut a = Answers::new();
    a.insert("safety".into(), json!(4));
    a.insert("ok".into(), json!(true));
    a.insert("note".into(), json!("private words"));
    let mut b = a.clone();
    b.insert("safety".into(), json!(2));
    let two = aggregate(&[(&f, &a), (&f, &b)]);
    assert!(two.withheld && two.responses.is_none() && two.items.is_empty());
    let three = aggregate(&[(&f, &a), (&f, &b), (&f, &a)]);
    assert!(!three.withheld);
    assert_eq!(three.responses, Some(3));
    assert_eq!(three.items[0].mean, Some(3.33));
    assert_eq!(three.items[1].yes, Some(3));
    // Free text never leaves a response.
    assert!(three.items.iter().all(|i| i.key != "note"));
}

/// The problems a client sees for a broken form: each code, path and message exactly, in
/// order. (The input shapes are serde types now; this pins that nothing a client sees moved.)
#[test]
fn a_broken_form_keeps_its_codes_paths_and_words() {
    let p = parse_form(
        &json!([{ "zeta": 1, "title": 5, "items": [
            { "key": "k", "label": "L", "type": "text", "required": null, "colour": 1 },
            ["k2", "L", "text"],
            { "key": "s", "label": "S", "type": "scale",
              "anchors": [[1, "a"], { "value": 2, "label": "b", "note": "dropped" }] } ] },
          "not a section"]),
        "sections",
    )
    .expect_err("invalid");
    let got: Vec<_> =
        p.0.iter()
            .map(|e| {
                (
                    e.field.clone().unwrap_or_default(),
                    e.code,
                    e.message.clone(),
                )
            })
            .collect();
    let want = [
        (
            "sections[0].zeta",
            ErrorCode::UnknownField,
            "zeta is not a field here",
        ),
        (
            "sections[0].title",
            ErrorCode::Required,
            "title is required (text)",
        ),
        (
            "sections[0].items[0].colour",
            ErrorCode::UnknownField,
            "colour is not a field here",
        ),
        (
            "sections[0].items[0].required",
            ErrorCode::InvalidBoolean,
            "must be true or false",
        ),
        (
            "sections[0].items[1]",
            ErrorCode::InvalidType,
            "an item is an object { key, label, type, required, anchors? }",
        ),
        (
            "sections[0].items[2].anchors[0]",
            ErrorCode::InvalidTemplate,
            "an anchor is { value: a whole number 0-100, label: text }",
        ),
        (
            "sections[1]",
            ErrorCode::InvalidType,
            "a section is an object { title, items }",
        ),
    ]
    .map(|(f, c, m)| (f.to_string(), c, m.to_string()));
    assert_eq!(got, want);
    // An anchor's other keys are accepted and dropped, as they always were.
    let f = parse_form(
        &json!([{ "title": "T", "items": [{ "key": "s", "label": "S", "type": "scale",
            "anchors": [{ "value": 1, "label": " a ", "note": 1 }, { "value": 2, "label": "b" }] }] }]),
        "sections",
    )
    .expect("valid");
    assert_eq!(
        f.sections[0].items[0].anchors,
        vec![
            Anchor {
                value: 1,
                label: "a".into()
            },
            Anchor {
                value: 2,
                label: "b".into()
            }
        ]
    );
}

//! The evaluation rules' unit tests.
use super::templates::scale;
use super::*;
use serde_json::json;

fn form() -> Form {
    let item = |key: &str, label: &str, item_type, required| Item {
        key: key.into(),
        label: label.into(),
        item_type,
        required,
        anchors: vec![],
    };
    Form {
        sections: vec![Section {
            title: "A".into(),
            items: vec![
                scale("safety", "Safe"),
                item("ok", "OK?", ItemType::YesNo, true),
                item("note", "Note", ItemType::Text, false),
            ],
        }],
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

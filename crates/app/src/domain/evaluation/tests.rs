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
    a.insert("safety".into(), Answer::from(json!(7)));
    a.insert("extra".into(), Answer::from(json!(1)));
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
    a.insert("safety".into(), Answer::from(json!(4)));
    assert!(check_answers(&f, &a, false).is_empty());
    assert!(!check_answers(&f, &a, true).is_empty());
    a.insert("ok".into(), Answer::from(json!(true)));
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
    a.insert("safety".into(), Answer::from(json!(4)));
    a.insert("ok".into(), Answer::from(json!(true)));
    a.insert("note".into(), Answer::from(json!("private words")));
    let mut b = a.clone();
    b.insert("safety".into(), Answer::from(json!(2)));
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

#[test]
fn an_answer_reads_and_writes_as_the_json_it_was() {
    for text in [
        "null",
        "true",
        "false",
        "4",
        "-3",
        "\"met\"",
        "\"4\"",
        "4.5",
        "18446744073709551615",
        "[1,2]",
        "{\"a\":1}",
    ] {
        let answer: Answer = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&answer).unwrap(), text, "{answer:?}");
        assert_eq!(answer.to_string(), text);
    }
    assert_eq!(Answer::from(json!(4)), Answer::Whole(4));
    assert_eq!(Answer::from(json!(4.5)), Answer::Unusable("4.5".into()));
    assert!(Answer::from(json!(null)).is_cleared());
}

#[test]
fn no_item_takes_a_value_of_no_answers_kind() {
    let f = form();
    for bad in [json!(4.5), json!([1]), json!({"a": 1})] {
        let mut a = Answers::new();
        for key in ["safety", "ok", "note"] {
            a.insert(key.into(), Answer::from(bad.clone()));
        }
        let p = check_answers(&f, &a, false);
        assert_eq!(p.0.len(), 3, "{bad}: {p:?}");
        assert!(p.0.iter().all(|x| x.code == ErrorCode::InvalidAnswer));
    }
}

#[test]
fn a_score_is_the_mean_of_the_whole_numbers() {
    let answers = |v: serde_json::Value| -> Answers { serde_json::from_value(v).unwrap() };
    assert_eq!(
        score(&answers(
            json!({"a": 4, "b": 5, "c": "met", "d": true, "e": "text"})
        )),
        Some(4.5)
    );
    assert_eq!(
        score(&answers(json!({"a": 1, "b": 2, "c": 2}))),
        Some(5.0 / 3.0)
    );
    assert_eq!(score(&answers(json!({"c": "met", "d": false}))), None);
    assert_eq!(score(&Answers::new()), None);
}

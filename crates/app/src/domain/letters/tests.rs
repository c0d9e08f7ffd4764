//! The letters' unit tests.
use super::*;

fn t(subject: &str, body: &str) -> Template {
    Template {
        subject: subject.into(),
        body: body.into(),
    }
}

fn codes(p: &Problems) -> Vec<(&str, &str)> {
    p.0.iter()
        .map(|e| (e.field.as_deref().unwrap_or(""), e.code.as_str()))
        .collect()
}

#[test]
fn every_default_text_is_valid_and_uses_only_its_own_fields() {
    for kind in LetterKind::ALL {
        assert_eq!(check(kind, &kind.default_template()), Ok(()), "{kind:?}");
        assert_eq!(LetterKind::parse(kind.as_str()), Some(kind));
    }
    assert_eq!(LetterKind::parse("renewal"), None);
}

#[test]
fn each_kind_knows_its_fields_and_not_the_others() {
    assert!(LetterKind::Welcome.knows("first_shift"));
    assert!(LetterKind::Welcome.knows("organisation"));
    assert!(!LetterKind::Welcome.knows("agreement_expires_on"));
    assert!(LetterKind::AgreementRenewal.knows("agreement_expires_on"));
    assert!(!LetterKind::AgreementRenewal.knows("student_name"));
    assert!(LetterKind::PlacementConfirmation.knows("open_checklist"));
}

/// Every unknown field is named, each once per part, with the brace problems, at once.
#[test]
fn a_bad_text_is_refused_with_every_problem_named() {
    let bad = t(
        "Hello {student_nme} {studnt}",
        "{agreement_expires_on} and {colour} and {colour}, {Bad Name} and { open",
    );
    let p = check(LetterKind::Welcome, &bad).expect_err("refused");
    assert_eq!(
        codes(&p),
        [
            ("subject", "unknown_letter_field"),
            ("subject", "unknown_letter_field"),
            ("body", "invalid_template"),
            ("body", "invalid_template"),
            ("body", "unknown_letter_field"),
            ("body", "unknown_letter_field"),
        ]
    );
    let words: Vec<&str> = p.0.iter().map(|e| e.message.as_str()).collect();
    for name in [
        "{student_nme}",
        "{studnt}",
        "{agreement_expires_on}",
        "{colour}",
    ] {
        assert!(words.iter().any(|w| w.contains(name)), "{name}: {words:?}");
    }
    assert!(words.iter().any(|w| w.contains("welcome letter")));
}

#[test]
fn an_empty_or_long_or_two_line_text_is_refused() {
    let p = check(LetterKind::Welcome, &t(" ", "")).expect_err("refused");
    assert_eq!(codes(&p), [("subject", "required"), ("body", "required")]);
    let long = "x".repeat(MAX_SUBJECT + 1);
    let p = check(LetterKind::Welcome, &t(&long, "ok")).expect_err("refused");
    assert_eq!(codes(&p), [("subject", "too_long")]);
    let p = check(LetterKind::Welcome, &t("a\nb", "ok")).expect_err("refused");
    assert_eq!(codes(&p), [("subject", "invalid_characters")]);
    let p = check(LetterKind::Welcome, &t("a } b", "ok")).expect_err("refused");
    assert_eq!(codes(&p), [("subject", "invalid_template")]);
}

#[test]
fn a_text_fills_in_its_fields_paragraphs_and_braces() {
    let mut v = Values::new();
    v.insert("student_name", "Ana Lopez".into());
    v.insert("open_checklist", "\u{2022} A\n\u{2022} B".into());
    let filled = fill(
        &t(
            "For {student_name}",
            "Dear {student_name},\r\n\r\nStill open:\n{open_checklist}\n\n\n{{literal}} {unknown}\n",
        ),
        &v,
    );
    assert_eq!(filled.subject, "For Ana Lopez");
    assert_eq!(
        filled.paragraphs,
        [
            "Dear Ana Lopez,",
            "Still open:\n\u{2022} A\n\u{2022} B",
            "{literal} {unknown}"
        ]
    );
}

#[test]
fn the_samples_fill_every_field_of_every_kind() {
    for kind in LetterKind::ALL {
        let v = sample_values(kind);
        for field in kind.fields() {
            assert!(
                v.get(field.name).is_some_and(|x| x != field.name),
                "{kind:?} {}",
                field.name
            );
        }
        let filled = fill(&kind.default_template(), &v);
        let all = format!("{} {}", filled.subject, filled.paragraphs.join(" "));
        assert!(!all.contains('{'), "{kind:?}: {all}");
    }
}

#[test]
fn who_reads_which_letter() {
    use LetterKind::*;
    use Reader::*;
    for kind in LetterKind::ALL {
        assert!(kind.may_read(Some(Office)));
        assert!(!kind.may_read(None));
    }
    assert!(PlacementConfirmation.may_read(Some(School)));
    assert!(!PlacementConfirmation.may_read(Some(Student)));
    assert!(Welcome.may_read(Some(Student)));
    assert!(!Welcome.may_read(Some(School)));
    assert!(AgreementRenewal.may_read(Some(School)));
    assert!(!AgreementRenewal.may_read(Some(Student)));
}

#[test]
fn dates_and_distances_in_words() {
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date");
    assert_eq!(long_date(d("2027-02-01")), "Monday 1 February 2027");
    assert_eq!(
        distance_words(d("2027-01-01"), d("2027-02-15")),
        "in 45 days"
    );
    assert_eq!(distance_words(d("2027-01-01"), d("2027-01-01")), "today");
    assert_eq!(
        distance_words(d("2027-01-13"), d("2027-01-01")),
        "12 days ago"
    );
    assert_eq!(bullet_lines(&[], "none"), "none");
    assert_eq!(bullet_lines(&["A".into()], "none"), "\u{2022} A");
}

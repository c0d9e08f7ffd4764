//! The charts' unit tests: each an image with a text alternative, drawn to its figures.
use super::*;

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

#[test]
fn every_chart_is_an_image_with_a_text_alternative_and_no_inline_style() {
    let charts = [
        bars("a", "T <1>", "D & d", &s(&["x"]), &[Some(3.0)]),
        grouped(
            "b",
            "T",
            "D",
            &s(&["x", "y"]),
            &s(&["2026", "2027"]),
            &[vec![Some(1.0), Some(2.0)], vec![None, Some(0.0)]],
        ),
        heat(
            "c",
            "T",
            "D",
            &s(&["ICU"]),
            &s(&["2027-01-04"]),
            &[vec![(3, 2)]],
        ),
        lines(
            "d",
            "T",
            "D",
            &s(&["2027-01", "2027-02"]),
            &s(&["median", "p90"]),
            &[vec![Some(1.0), Some(2.0)], vec![Some(1.5), None]],
        ),
    ];
    for c in &charts {
        assert!(c.starts_with("<svg "), "{c}");
        assert!(c.contains("role=\"img\""));
        assert!(c.contains("<title id="));
        assert!(c.contains("<desc id="));
        assert!(!c.contains("style="), "{c}");
        assert!(c.ends_with("</svg>"));
    }
    assert!(charts[0].contains("T &lt;1&gt;"));
    assert!(charts[0].contains("D &amp; d"));
}

#[test]
fn bars_are_as_long_as_their_share_of_the_largest() {
    let c = bars("a", "T", "D", &s(&["x", "y"]), &[Some(4.0), Some(2.0)]);
    assert!(c.contains("width=\"420.0\""), "{c}");
    assert!(c.contains("width=\"210.0\""), "{c}");
    let withheld = bars("a", "T", "D", &s(&["x"]), &[None]);
    assert!(withheld.contains(">withheld</text>"));
}

#[test]
fn a_heat_cell_is_shaded_by_its_use_and_says_its_figures() {
    assert_eq!(heat_step(0, 4), 0);
    assert_eq!(heat_step(1, 4), 1);
    assert_eq!(heat_step(2, 4), 2);
    assert_eq!(heat_step(4, 4), 3);
    assert_eq!(heat_step(5, 4), 4);
    assert_eq!(heat_step(1, 0), 4);
    let c = heat(
        "c",
        "T",
        "D",
        &s(&["ICU"]),
        &s(&["2027-01-04"]),
        &[vec![(5, 4)]],
    );
    assert!(c.contains(HEAT[4].0));
    assert!(c.contains("<title>ICU, week of 2027-01-04: 5 of 4 seats</title>"));
}

#[test]
fn lines_draw_one_polyline_per_series_with_two_points_or_more() {
    let c = lines(
        "d",
        "T",
        "D",
        &s(&["a", "b", "c"]),
        &s(&["m", "p"]),
        &[
            vec![Some(1.0), Some(2.0)],
            vec![Some(2.0), None],
            vec![Some(3.0), None],
        ],
    );
    assert_eq!(c.matches("<polyline").count(), 1);
    assert!(c.contains(">m</text>") && c.contains(">p</text>"));
}

#[test]
fn many_rows_are_cut_and_the_description_says_so() {
    let labels: Vec<String> = (0..50).map(|i| format!("row {i}")).collect();
    let values: Vec<Option<f64>> = (0..50).map(|i| Some(i as f64)).collect();
    let c = bars("a", "T", "D", &labels, &values);
    assert!(c.contains(">row 39<"));
    assert!(!c.contains(">row 40<"));
}

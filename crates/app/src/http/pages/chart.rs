//! Charts drawn on the server as SVG, from a report's rows: horizontal bars, grouped bars
//! (year over year), a heat map (department × week, seats held over capacity) and lines
//! (median and 90th percentile per month). Each is an `<svg role="img">` named by its
//! `<title>` and described by its `<desc>` (the text alternative: what it shows and where
//! the figures are — the table beside it); colours are attributes, never inline styles (the
//! CSP allows no `style=""`), and every series is also told apart by its legend's words
//! (and, for lines, by its marker and dash), never by colour alone.
use crate::service::reports::{Chart, Report, Value};
use std::fmt::Write;

/// The series' colours (Okabe–Ito, distinguishable with colour-blindness), dark enough on
/// white for 3:1.
const COLOURS: [&str; 4] = ["#0072B2", "#D55E00", "#009E73", "#CC79A7"];
/// The heat map's steps: up to 0 %, 50 %, 80 %, 100 %, over 100 % of capacity.
const HEAT: [(&str, &str); 5] = [
    ("#f2f2f2", "no seat held"),
    ("#c6dbef", "under half"),
    ("#6baed6", "half to 80 %"),
    ("#2171b5", "80 % to full"),
    ("#b2182b", "over capacity"),
];
/// The most rows (bars, groups, heat-map rows) a chart draws; the table has them all.
pub const MAX_ROWS: usize = 40;
const LABEL_W: f64 = 240.0;
const BAR_H: f64 = 18.0;

/// Escapes text for SVG content and attributes.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

fn fmt(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}

/// The opening of an SVG with its text alternative.
fn open(id: &str, w: f64, h: f64, title: &str, desc: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 {w:.0} {h:.0}\" \
         width=\"{w:.0}\" height=\"{h:.0}\" aria-labelledby=\"{id}-title {id}-desc\" font-family=\"sans-serif\" \
         font-size=\"12\"><title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        esc(title),
        esc(desc)
    )
}

fn legend(out: &mut String, names: &[String], y: f64, lines: bool) {
    let mut x = LABEL_W;
    for (i, n) in names.iter().enumerate() {
        let c = COLOURS[i % COLOURS.len()];
        if lines {
            let _ = write!(
                out,
                "<line x1=\"{x}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"{c}\" stroke-width=\"2\"{}/>",
                x + 18.0,
                dash(i)
            );
            marker(out, i, x + 9.0, y, c);
        } else {
            let _ = write!(
                out,
                "<rect x=\"{x}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{c}\"/>",
                y - 6.0
            );
        }
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\">{}</text>",
            x + 22.0,
            y + 4.0,
            esc(n)
        );
        x += 30.0 + 7.0 * n.chars().count() as f64;
    }
}

fn dash(i: usize) -> &'static str {
    match i % 4 {
        0 => "",
        1 => " stroke-dasharray=\"6 3\"",
        2 => " stroke-dasharray=\"2 2\"",
        _ => " stroke-dasharray=\"8 2 2 2\"",
    }
}

fn marker(out: &mut String, i: usize, x: f64, y: f64, c: &str) {
    let _ = match i % 4 {
        0 => write!(
            out,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3.5\" fill=\"{c}\"/>"
        ),
        1 => write!(
            out,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"7\" height=\"7\" fill=\"{c}\"/>",
            x - 3.5,
            y - 3.5
        ),
        2 => write!(
            out,
            "<polygon points=\"{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}\" fill=\"{c}\"/>",
            x,
            y - 4.5,
            x - 4.5,
            y + 3.5,
            x + 4.5,
            y + 3.5
        ),
        _ => write!(
            out,
            "<polygon points=\"{x:.1},{:.1} {:.1},{y:.1} {x:.1},{:.1} {:.1},{y:.1}\" fill=\"{c}\"/>",
            y - 4.5,
            x + 4.5,
            y + 4.5,
            x - 4.5
        ),
    };
}

/// Horizontal bars, one per label, each with its figure at its end. `values[i]` `None`
/// draws no bar and says "withheld".
pub fn bars(
    id: &str,
    title: &str,
    desc: &str,
    labels: &[String],
    values: &[Option<f64>],
) -> String {
    grouped(
        id,
        title,
        desc,
        labels,
        &[String::new()],
        &values.iter().map(|v| vec![*v]).collect::<Vec<_>>(),
    )
}

/// Groups of horizontal bars: one group per label, one bar per series (`values[label][series]`),
/// with a legend of the series' names when there is more than one.
pub fn grouped(
    id: &str,
    title: &str,
    desc: &str,
    labels: &[String],
    series: &[String],
    values: &[Vec<Option<f64>>],
) -> String {
    let n = labels.len().min(MAX_ROWS);
    let k = series.len().max(1);
    let plot_w = 420.0;
    let group_h = BAR_H * k as f64 + 8.0;
    let top = if k > 1 { 30.0 } else { 8.0 };
    let h = top + group_h * n as f64 + 8.0;
    let max = values
        .iter()
        .take(n)
        .flatten()
        .flatten()
        .fold(0.0_f64, |a, b| a.max(*b))
        .max(1.0);
    let mut out = open(id, LABEL_W + plot_w + 60.0, h.max(40.0), title, desc);
    if k > 1 {
        legend(&mut out, series, 14.0, false);
    }
    for (gi, label) in labels.iter().take(n).enumerate() {
        let gy = top + group_h * gi as f64;
        let _ = write!(
            out,
            "<text x=\"{:.0}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            LABEL_W - 8.0,
            gy + group_h / 2.0,
            esc(&short(label, 34))
        );
        for si in 0..k {
            let v = values.get(gi).and_then(|r| r.get(si)).copied().flatten();
            let y = gy + BAR_H * si as f64;
            match v {
                Some(v) => {
                    let w = (v.max(0.0) / max * plot_w).max(if v > 0.0 { 1.0 } else { 0.0 });
                    let _ = write!(
                        out,
                        "<rect x=\"{LABEL_W}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{:.0}\" fill=\"{}\"/>\
                         <text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                        BAR_H - 3.0,
                        COLOURS[si % COLOURS.len()],
                        LABEL_W + w + 4.0,
                        y + BAR_H - 6.0,
                        fmt(v)
                    );
                }
                None => {
                    let _ = write!(
                        out,
                        "<text x=\"{:.1}\" y=\"{:.1}\">withheld</text>",
                        LABEL_W + 4.0,
                        y + BAR_H - 6.0
                    );
                }
            }
        }
    }
    out.push_str("</svg>");
    out
}

/// A heat map: one row per row label, one column per column label, each cell shaded by
/// `held / capacity` in five steps named in the legend; a cell's figures in its own title.
pub fn heat(
    id: &str,
    title: &str,
    desc: &str,
    rows: &[String],
    columns: &[String],
    cells: &[Vec<(i64, i64)>],
) -> String {
    let n = rows.len().min(MAX_ROWS);
    let cw = 12.0;
    let ch = 16.0;
    let top = 56.0;
    let w = LABEL_W + cw * columns.len() as f64 + 20.0;
    let h = top + ch * n as f64 + 24.0;
    let mut out = open(id, w.max(LABEL_W + 560.0), h, title, desc);
    let mut x = LABEL_W;
    for (colour, words) in HEAT {
        let _ = write!(
            out,
            "<rect x=\"{x}\" y=\"6\" width=\"12\" height=\"12\" fill=\"{colour}\" stroke=\"#767676\"/>\
             <text x=\"{}\" y=\"16\">{}</text>",
            x + 16.0,
            words
        );
        x += 24.0 + 7.0 * words.len() as f64;
    }
    for (ci, c) in columns.iter().enumerate() {
        // Every fourth week named (the first of each), rotated under the legend.
        if ci % 4 == 0 {
            let cx = LABEL_W + cw * ci as f64 + 6.0;
            let _ = write!(
                out,
                "<text x=\"{cx:.1}\" y=\"{:.0}\" transform=\"rotate(-45 {cx:.1} {:.0})\" font-size=\"10\">{}</text>",
                top - 4.0,
                top - 4.0,
                esc(c)
            );
        }
    }
    for (ri, r) in rows.iter().take(n).enumerate() {
        let y = top + ch * ri as f64;
        let _ = write!(
            out,
            "<text x=\"{:.0}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            LABEL_W - 8.0,
            y + ch - 4.0,
            esc(&short(r, 34))
        );
        for (ci, (held, cap)) in cells
            .get(ri)
            .map(|v| v.as_slice())
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            let step = heat_step(*held, *cap);
            let _ = write!(
                out,
                "<rect x=\"{:.1}\" y=\"{y:.1}\" width=\"{:.0}\" height=\"{:.0}\" fill=\"{}\"><title>{}, week of {}: {held} of {cap} seats</title></rect>",
                LABEL_W + cw * ci as f64,
                cw - 1.0,
                ch - 2.0,
                HEAT[step].0,
                esc(r),
                esc(columns.get(ci).map(String::as_str).unwrap_or(""))
            );
        }
    }
    out.push_str("</svg>");
    out
}

/// The heat map's step of `held` seats against `capacity`.
pub fn heat_step(held: i64, capacity: i64) -> usize {
    if held <= 0 {
        0
    } else if held > capacity {
        4
    } else if held * 100 < capacity * 50 {
        1
    } else if held * 100 < capacity * 80 {
        2
    } else {
        3
    }
}

/// Lines over the x labels, one per series (`values[x][series]`, `None` a gap), with a
/// legend; each series has its colour, its marker and its dash.
pub fn lines(
    id: &str,
    title: &str,
    desc: &str,
    xs: &[String],
    series: &[String],
    values: &[Vec<Option<f64>>],
) -> String {
    let plot_w = 560.0_f64.max(40.0 * xs.len() as f64);
    let plot_h = 220.0;
    let left = 50.0;
    let top = 40.0;
    let w = left + plot_w + 30.0;
    let h = top + plot_h + 50.0;
    let max = values
        .iter()
        .flatten()
        .flatten()
        .fold(0.0_f64, |a, b| a.max(*b))
        .max(1.0);
    let mut out = open(id, w.max(LABEL_W + 600.0), h, title, desc);
    // The legend sits at LABEL_W; the plot starts at `left`.
    legend(&mut out, series, 14.0, true);
    let step = if xs.len() > 1 {
        plot_w / (xs.len() - 1) as f64
    } else {
        0.0
    };
    let px = |i: usize| left + step * i as f64 + if xs.len() == 1 { plot_w / 2.0 } else { 0.0 };
    let py = |v: f64| top + plot_h - v / max * plot_h;
    let _ = write!(
        out,
        "<line x1=\"{left}\" y1=\"{:.0}\" x2=\"{:.0}\" y2=\"{:.0}\" stroke=\"#767676\"/>\
         <line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{:.0}\" stroke=\"#767676\"/>\
         <text x=\"{:.0}\" y=\"{:.0}\" text-anchor=\"end\">{}</text><text x=\"{:.0}\" y=\"{:.0}\" text-anchor=\"end\">0</text>",
        top + plot_h,
        left + plot_w,
        top + plot_h,
        top + plot_h,
        left - 4.0,
        top + 4.0,
        fmt(max),
        left - 4.0,
        top + plot_h
    );
    for (i, x) in xs.iter().enumerate() {
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.0}\" text-anchor=\"middle\" font-size=\"10\">{}</text>",
            px(i),
            top + plot_h + 16.0,
            esc(x)
        );
    }
    for si in 0..series.len() {
        let c = COLOURS[si % COLOURS.len()];
        let pts: Vec<(usize, f64)> = values
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.get(si).copied().flatten().map(|v| (i, v)))
            .collect();
        if pts.len() > 1 {
            let d = pts
                .iter()
                .map(|(i, v)| format!("{:.1},{:.1}", px(*i), py(*v)))
                .collect::<Vec<_>>()
                .join(" ");
            let _ = write!(
                out,
                "<polyline points=\"{d}\" fill=\"none\" stroke=\"{c}\" stroke-width=\"2\"{}/>",
                dash(si)
            );
        }
        for (i, v) in pts {
            marker(&mut out, si, px(i), py(v), c);
        }
    }
    out.push_str("</svg>");
    out
}

fn text_of(row: &[Value], cols: &[usize]) -> String {
    cols.iter()
        .filter_map(|i| row.get(*i))
        .map(Value::shown)
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The chart of a report, from its rows as its `Chart` says, with its text alternative.
pub fn for_report(r: &Report) -> String {
    let id = format!("chart-{}", r.name.slug());
    let title = format!("{}: {}", r.name.title(), r.filter.period_words());
    let more = if r.rows.len() > MAX_ROWS {
        format!(
            " The chart draws the first {MAX_ROWS} of {} rows.",
            r.rows.len()
        )
    } else {
        String::new()
    };
    let label = |i: &usize| {
        r.columns
            .get(*i)
            .map(|c| c.label.clone())
            .unwrap_or_default()
    };
    match &r.chart {
        Chart::Bars { label: l, value } => {
            let desc = format!(
                "One bar per row for {}; the figures are in the table below.{more}",
                label(value).to_lowercase()
            );
            let labels: Vec<String> = r.rows.iter().map(|row| text_of(row, l)).collect();
            let values: Vec<Option<f64>> = r
                .rows
                .iter()
                .map(|row| row.get(*value).and_then(Value::as_f64))
                .collect();
            bars(&id, &title, &desc, &labels, &values)
        }
        Chart::Grouped { label: l, series } => {
            let names: Vec<String> = series.iter().map(label).collect();
            let desc = format!(
                "For each row, bars for {}; the figures are in the table below.{more}",
                names.join(", ")
            );
            let labels: Vec<String> = r.rows.iter().map(|row| text_of(row, l)).collect();
            let values: Vec<Vec<Option<f64>>> = r
                .rows
                .iter()
                .map(|row| {
                    series
                        .iter()
                        .map(|i| row.get(*i).and_then(Value::as_f64))
                        .collect()
                })
                .collect();
            grouped(&id, &title, &desc, &labels, &names, &values)
        }
        Chart::Heat {
            row,
            column,
            held,
            capacity,
        } => {
            let mut rows: Vec<String> = vec![];
            let mut columns: Vec<String> = vec![];
            let mut cells: Vec<Vec<(i64, i64)>> = vec![];
            for row_v in &r.rows {
                let rl = row_v.get(*row).map(Value::shown).unwrap_or_default();
                let cl = row_v.get(*column).map(Value::exported).unwrap_or_default();
                if rows.last() != Some(&rl) {
                    rows.push(rl);
                    cells.push(vec![]);
                }
                if rows.len() == 1 {
                    columns.push(cl);
                }
                let n = |i: &usize| row_v.get(*i).and_then(Value::as_f64).unwrap_or(0.0) as i64;
                if let Some(last) = cells.last_mut() {
                    last.push((n(held), n(capacity)));
                }
            }
            let more = if rows.len() > MAX_ROWS {
                format!(
                    " The chart draws the first {MAX_ROWS} of {} departments.",
                    rows.len()
                )
            } else {
                String::new()
            };
            let desc = format!(
                "A grid of departments by week, each cell shaded by seats held against capacity \
                 (no seat held, under half, half to 80 %, 80 % to full, over capacity); the \
                 figures are in the table below.{more}"
            );
            heat(&id, &title, &desc, &rows, &columns, &cells)
        }
        Chart::Lines { x, series } => {
            let names: Vec<String> = series.iter().map(label).collect();
            let desc = format!(
                "Lines over the months for {}; the figures are in the table below.",
                names.join(", ")
            );
            let xs: Vec<String> = r.rows.iter().map(|row| text_of(row, &[*x])).collect();
            let values: Vec<Vec<Option<f64>>> = r
                .rows
                .iter()
                .map(|row| {
                    series
                        .iter()
                        .map(|i| row.get(*i).and_then(Value::as_f64))
                        .collect()
                })
                .collect();
            lines(&id, &title, &desc, &xs, &names, &values)
        }
    }
}

#[cfg(test)]
mod tests {
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
}

//! Charts drawn on the server as SVG, from a report's rows: horizontal bars, grouped bars
//! (year over year), a heat map (department × week, seats held over capacity) and lines
//! (median and 90th percentile per month). Each is an `<svg role="img">` named by its
//! `<title>` and described by its `<desc>` (the text alternative: what it shows and where
//! the figures are — the table beside it); colours are attributes, never inline styles (the
//! CSP allows no `style=""`), and every series is also told apart by its legend's words
//! (and, for lines, by its marker and dash), never by colour alone. Here: the drawing helpers
//! every kind shares; the kinds are in `bars`, `heat` and `lines`, a report's chart in `report`.
use crate::service::reports::{Chart, Report, Value};
use std::fmt::Write;

mod bars;
mod heat;
mod lines;
mod report;
pub use bars::{bars, grouped};
pub use heat::{heat, heat_step};
pub use lines::lines;
pub use report::for_report;

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

#[cfg(test)]
mod tests;

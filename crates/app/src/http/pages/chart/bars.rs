//! Horizontal bars and grouped bars (year over year).
use super::*;

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

//! Lines: a series per month, each told apart by its marker and dash as well as its colour.
use super::*;

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

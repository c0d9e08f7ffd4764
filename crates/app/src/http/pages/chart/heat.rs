//! The heat map: department × week, seats held over capacity.
use super::*;

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

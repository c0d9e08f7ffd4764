//! A report's chart: which kind its `Chart` says, from its rows, with the text alternative.
use super::*;

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

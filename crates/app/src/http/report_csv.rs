//! The summary report as CSV, for the API and the public report page alike.
use crate::http::pages::view::{Cell, Table};
use crate::service::reports::Summary;

/// One row per dimension and key (`dimension, key, label, students`), the total first.
pub fn summary_csv(s: &Summary) -> String {
    let mut t = Table::new("summary", vec!["dimension", "key", "label", "students"], "");
    let dims = [
        ("discipline", &s.by_discipline),
        ("degree_level", &s.by_degree_level),
        ("school", &s.by_school),
        ("department", &s.by_department),
        ("kind", &s.by_kind),
    ];
    t.rows.push(vec![
        Cell::text("total"),
        Cell::text(""),
        Cell::text("All students"),
        Cell::text(s.total.to_string()),
    ]);
    for (dim, list) in dims {
        for b in list.iter() {
            t.rows.push(vec![
                Cell::text(dim),
                Cell::text(&b.key),
                Cell::text(&b.label),
                Cell::text(b.students.to_string()),
            ]);
        }
    }
    t.csv()
}

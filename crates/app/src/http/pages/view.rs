//! View models shared by every page: tables (also exported as CSV), form fields, navigation.
use crate::domain::Role;
use chrono::NaiveDate;

/// Dates on pages read like "Mon 12 Jan 2027"; exports keep ISO.
pub use crate::domain::period::human_date;

/// A discipline's name, never its code ("occupational_therapy" reads "Occupational therapy").
pub fn discipline_word(code: Option<&str>) -> String {
    code.map(crate::domain::catalog::discipline_name)
        .unwrap_or_default()
}

/// Disciplines' names, joined.
pub fn discipline_names(codes: &[String]) -> String {
    codes
        .iter()
        .map(|c| crate::domain::catalog::discipline_name(c))
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Clone, Debug, Default)]
pub struct Cell {
    pub text: String,
    /// What the CSV export carries (ISO dates, raw codes).
    pub csv: String,
    pub href: Option<String>,
    /// A badge's style: `ok`, `warn`, `bad`, `info` (the text always says it too).
    pub badge: Option<&'static str>,
    /// A horizontal bar of this many percent, beside the number it draws.
    pub bar: Option<i64>,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        let s = s.into();
        Cell {
            csv: s.clone(),
            text: s,
            ..Default::default()
        }
    }

    pub fn link(s: impl Into<String>, href: impl Into<String>) -> Cell {
        Cell {
            href: Some(href.into()),
            ..Cell::text(s)
        }
    }

    pub fn date(d: Option<NaiveDate>) -> Cell {
        match d {
            Some(d) => Cell {
                text: human_date(d),
                csv: d.to_string(),
                ..Default::default()
            },
            None => Cell::text(""),
        }
    }

    pub fn badge(s: impl Into<String>, style: &'static str) -> Cell {
        Cell {
            badge: Some(style),
            ..Cell::text(s)
        }
    }

    pub fn bar(percent: i64) -> Cell {
        Cell {
            bar: Some(percent.clamp(0, 100)),
            ..Default::default()
        }
    }

    pub fn with_href(mut self, href: impl Into<String>) -> Cell {
        self.href = Some(href.into());
        self
    }
}

#[derive(Clone, Debug, Default)]
pub struct Table {
    pub caption: String,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
    pub empty: String,
    /// Columns the list sorts by: (column, link that sorts by it, `aria-sort` now).
    pub sorts: Vec<(usize, String, &'static str)>,
}

impl Table {
    pub fn new(
        caption: impl Into<String>,
        headers: Vec<&'static str>,
        empty: impl Into<String>,
    ) -> Table {
        Table {
            caption: caption.into(),
            headers,
            rows: vec![],
            empty: empty.into(),
            sorts: vec![],
        }
    }

    /// The sort link of column `i`, if it sorts.
    pub fn sort_for(
        &self,
        i: impl std::borrow::Borrow<usize>,
    ) -> Option<&(usize, String, &'static str)> {
        self.sorts.iter().find(|s| s.0 == *i.borrow())
    }

    pub fn csv(&self) -> String {
        let esc = csv_field;
        let mut out = self
            .headers
            .iter()
            .map(|h| esc(h))
            .collect::<Vec<_>>()
            .join(",");
        out.push_str("\r\n");
        for row in &self.rows {
            out.push_str(
                &row.iter()
                    .map(|c| esc(&c.csv))
                    .collect::<Vec<_>>()
                    .join(","),
            );
            out.push_str("\r\n");
        }
        out
    }
}

/// One CSV field: a leading `=`, `+`, `-` or `@` (or a tab or carriage return) that is not a
/// number would run as a formula in a spreadsheet, so a quote defuses it (OWASP "CSV
/// injection"); a field with a comma, a quote or a line break is quoted.
pub fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) && s.parse::<f64>().is_err() {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

#[derive(Clone, Debug)]
pub struct Field {
    pub name: String,
    pub label: String,
    /// text, email, date, number, select, checkboxes, checkbox, textarea, password, file, hidden
    pub kind: &'static str,
    pub value: String,
    pub values: Vec<String>,
    pub options: Vec<(String, String)>,
    /// A select's options in labelled groups (`optgroup`), shown after `options`.
    pub groups: Vec<(String, Vec<(String, String)>)>,
    pub hint: String,
    pub error: String,
    pub required: bool,
}

impl Field {
    pub fn new(name: impl Into<String>, label: impl Into<String>, kind: &'static str) -> Field {
        Field {
            name: name.into(),
            label: label.into(),
            kind,
            value: String::new(),
            values: vec![],
            options: vec![],
            groups: vec![],
            hint: String::new(),
            error: String::new(),
            required: false,
        }
    }

    pub fn required(mut self) -> Field {
        self.required = true;
        self
    }

    pub fn value(mut self, v: impl Into<String>) -> Field {
        self.value = v.into();
        self
    }

    pub fn values(mut self, v: Vec<String>) -> Field {
        self.values = v;
        self
    }

    pub fn options(mut self, o: Vec<(String, String)>) -> Field {
        self.options = o;
        self
    }

    pub fn groups(mut self, g: Vec<(String, Vec<(String, String)>)>) -> Field {
        self.groups = g;
        self
    }

    pub fn hint(mut self, h: impl Into<String>) -> Field {
        self.hint = h.into();
        self
    }

    pub fn is_selected(&self, v: &str) -> bool {
        self.value == v || self.values.iter().any(|x| x == v)
    }

    pub fn id(&self) -> String {
        format!("f-{}", self.name)
    }
}

/// Options for a select from a closed word list.
pub fn word_options(words: &[(&'static str, &'static str)]) -> Vec<(String, String)> {
    words
        .iter()
        .map(|(v, l)| (v.to_string(), l.to_string()))
        .collect()
}

#[derive(Clone, Debug)]
pub struct NavItem {
    pub href: String,
    pub label: &'static str,
    pub current: bool,
}

/// The left navigation for a role; pages that exist only.
pub fn nav_for(
    role: Role,
    department_id: Option<&str>,
    student_id: Option<&str>,
    path: &str,
) -> Vec<NavItem> {
    let mut items: Vec<(String, &'static str)> = vec![("/".into(), "Home")];
    match role {
        Role::Admin | Role::Coordinator => {
            items.extend([
                ("/requests".into(), "Requests"),
                ("/placements".into(), "Placements"),
                ("/hours".into(), "Hours"),
                ("/documents".into(), "Clearance"),
                ("/schedule".into(), "Calendar"),
                ("/on-site".into(), "On site today"),
                ("/offboarding".into(), "Offboarding"),
                ("/requirements".into(), "Requirements"),
                ("/evaluation-forms".into(), "Evaluation forms"),
                ("/settings/letters".into(), "Letters"),
                ("/students".into(), "Students"),
                ("/schools".into(), "Schools & agreements"),
                ("/agreements".into(), "Agreements"),
                ("/programs".into(), "Programs"),
                ("/sites".into(), "Sites & departments"),
                ("/departments".into(), "Departments"),
                ("/staff".into(), "Staff"),
                ("/capacity".into(), "Capacity"),
                ("/planning".into(), "Term planning"),
                ("/inquiries".into(), "Inquiries"),
                ("/reports".into(), "Reports"),
            ]);
            if role == Role::Admin {
                items.push(("/users".into(), "Users"));
                items.push(("/settings".into(), "Settings"));
            }
        }
        Role::SchoolCoordinator => {
            items.extend([
                ("/requests".into(), "Requests"),
                ("/placements".into(), "Placements"),
                ("/hours".into(), "Hours"),
                ("/students".into(), "Students"),
                ("/attestations".into(), "Attestations"),
                ("/my-school".into(), "Agreement & programs"),
            ]);
        }
        Role::DepartmentManager => {
            if let Some(d) = department_id {
                items.push((format!("/departments/{d}"), "Department"));
                items.push((format!("/departments/{d}/capacity"), "Capacity"));
            }
            items.push(("/on-site".into(), "On site today"));
            items.push(("/schedule".into(), "Schedule"));
            items.push(("/placements".into(), "Placements"));
            items.push(("/hours".into(), "Hours"));
        }
        Role::Student => {
            items.push(("/placements".into(), "My placements"));
            items.push(("/schedule".into(), "Schedule"));
            items.push(("/hours".into(), "Hours"));
            if let Some(s) = student_id {
                items.push((format!("/students/{s}/documents"), "My documents"));
            }
        }
        Role::Preceptor | Role::Faculty => {
            items.push(("/placements".into(), "My students"));
            items.push(("/schedule".into(), "Schedule"));
            items.push(("/hours".into(), "Hours to approve"));
        }
    }
    items.push(("/profile".into(), "Profile"));
    // A department's capacity page has its own entry, so it does not mark the department's
    // entry too; where two entries hold the path (`/settings` and `/settings/letters`), the
    // longer one is the current one.
    let holds = |href: &str| {
        if href == "/" {
            path == "/"
        } else {
            path == href || (path.starts_with(&format!("{href}/")) && !path.ends_with("/capacity"))
        }
    };
    let current = items
        .iter()
        .filter(|(href, _)| holds(href))
        .map(|(href, _)| href.len())
        .max();
    items
        .into_iter()
        .map(|(href, label)| {
            let current = holds(&href) && Some(href.len()) == current;
            NavItem {
                href,
                label,
                current,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_escapes_and_defuses_formulas() {
        let mut t = Table::new("t", vec!["a", "b"], "");
        t.rows
            .push(vec![Cell::text("x, y"), Cell::text("=HYPERLINK(\"evil\")")]);
        t.rows.push(vec![
            Cell::text("-3"),
            Cell::date(NaiveDate::from_ymd_opt(2027, 1, 12)),
        ]);
        assert_eq!(
            t.csv(),
            "a,b\r\n\"x, y\",\"'=HYPERLINK(\"\"evil\"\")\"\r\n-3,2027-01-12\r\n"
        );
    }

    #[test]
    fn dates_read_like_people_write_them() {
        assert_eq!(
            human_date(NaiveDate::from_ymd_opt(2027, 1, 12).unwrap()),
            "Tue 12 Jan 2027"
        );
    }

    #[test]
    fn navigation_marks_the_current_page() {
        let nav = nav_for(Role::Coordinator, None, None, "/schools/abc");
        assert!(nav.iter().any(|n| n.href == "/schools" && n.current));
        let nav = nav_for(
            Role::DepartmentManager,
            Some("d1"),
            None,
            "/departments/d1/capacity",
        );
        assert_eq!(nav.iter().filter(|n| n.current).count(), 1);
        assert!(!nav.iter().any(|n| n.href == "/users"));
        assert!(
            nav_for(Role::Admin, None, None, "/")
                .iter()
                .any(|n| n.href == "/users")
        );
    }

    /// The office's Letters live under /settings: the longer entry is the current one.
    #[test]
    fn the_letters_entry_is_current_under_settings() {
        for role in [Role::Admin, Role::Coordinator] {
            let nav = nav_for(role, None, None, "/settings/letters/welcome");
            let current: Vec<&str> = nav
                .iter()
                .filter(|n| n.current)
                .map(|n| n.href.as_str())
                .collect();
            assert_eq!(current, ["/settings/letters"], "{role:?}");
        }
    }

    /// UI.md: the admin's navigation ends with Settings; nobody else has it.
    #[test]
    fn only_the_admin_has_settings() {
        let admin = nav_for(Role::Admin, None, None, "/settings");
        assert!(admin.iter().any(|n| n.href == "/settings" && n.current));
        for role in Role::ALL.into_iter().filter(|r| *r != Role::Admin) {
            assert!(
                !nav_for(role, Some("d"), Some("s"), "/")
                    .iter()
                    .any(|n| n.href == "/settings"),
                "{role:?}"
            );
        }
    }
}

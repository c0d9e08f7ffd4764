//! The office's results of the students' site evaluations: aggregates of 3 or more, no names.
use super::*;

/// The office's view of the students' site evaluations: per department and per supervisor,
/// only groups of at least 3 responses, never a response or a name.
pub(super) async fn site_report(State(st): State<AppState>, user: PageUser) -> PageResult {
    let (by_department, by_supervisor) = templates::site_aggregates(&st, &user.p).await?;
    let section = |title: &str, groups: Vec<templates::SiteGroup>| {
        let mut t = Table::new(
            format!(
                "{title}: means of the 1-5 items, and how many said yes; fewer than {} responses are withheld",
                evaluation::MIN_RESPONSES
            ),
            vec!["Who", "Responses", "Figures"],
            "No site evaluation has been submitted yet.",
        );
        for g in groups {
            let figures = if g.aggregate.withheld {
                "withheld: fewer than 3 responses".to_string()
            } else {
                g.aggregate
                    .items
                    .iter()
                    .map(|i| match (i.mean, i.yes) {
                        (Some(m), _) => format!("{}: {m:.2}", i.label),
                        (_, Some(y)) => format!("{}: {y} of {}", i.label, i.answered),
                        _ => String::new(),
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            t.rows.push(vec![
                Cell::text(g.name),
                Cell::text(
                    g.aggregate
                        .responses
                        .map(|n| n.to_string())
                        .unwrap_or_else(|| "fewer than 3".into()),
                ),
                Cell::text(figures),
            ]);
        }
        Section {
            title: title.to_string(),
            table: t,
            actions: vec![],
        }
    };
    Ok(RecordPage {
        chrome: user.chrome("Site evaluations"),
        facts: vec![],
        actions: vec![],
        sections: vec![
            section("By department", by_department),
            section("By preceptor or site mentor", by_supervisor),
        ],
        upload: None,
        forms: vec![],
    }
    .into_response())
}

//! The office told of offboarding tasks past their due day.
use super::*;

/// Each offboarding task not done by its due day is told to the office (admins and
/// coordinators: in the app and by e-mail) once, under `offboarding_overdue:<task>`; the
/// tasks of one placement that fall due together go in one notice.
pub(super) async fn overdue_offboarding(
    tx: &mut Tx,
    st: &AppState,
    now: DateTime<Utc>,
) -> DbResult<usize> {
    let filter = db::offboarding::Filter {
        state: Some("overdue".into()),
        ..Default::default()
    };
    let page = db::Page {
        limit: 100_000,
        after: None,
        sort: None,
    };
    let overdue = db::offboarding::list(tx, &filter, st.clock.today(), &page)
        .await?
        .items;
    // Placement -> (student, site and department, the tasks' words, due day).
    let mut by_placement: Vec<(String, String, String, Vec<&'static str>, chrono::NaiveDate)> =
        Vec::new();
    let mut count = 0;
    for t in &overdue {
        if !claim(tx, &format!("offboarding_overdue:{}", t.task.id), now).await? {
            continue;
        }
        count += 1;
        let words = crate::domain::offboarding::TaskKind::parse(&t.task.kind)
            .map_or("Offboarding task", |k| k.words());
        match by_placement.iter_mut().find(|b| b.0 == t.task.placement_id) {
            Some(b) => b.3.push(words),
            None => by_placement.push((
                t.task.placement_id.clone(),
                t.student_name.clone().unwrap_or_else(|| "A student".into()),
                format!("{}, {}", t.department_name, t.site_name),
                vec![words],
                t.task.due_on,
            )),
        }
    }
    if by_placement.is_empty() {
        return Ok(0);
    }
    let office = db::notifications::users_with_roles(tx, &["admin", "coordinator"]).await?;
    let letterhead = crate::jobs::mail::Letterhead::read(tx).await?;
    for (placement_id, student, place, tasks, due) in by_placement {
        let link = format!("/offboarding?placement_id={placement_id}");
        let due = crate::domain::period::human_date(due);
        let message = format!(
            "Offboarding overdue for {student} ({place}), due {due}: {}",
            tasks.join(", ")
        );
        for (user_id, user_name, email) in &office {
            db::notifications::notify(
                tx,
                user_id,
                "offboarding_overdue",
                &message,
                Some(&link),
                now,
            )
            .await?;
            let body = format!(
                "Dear {user_name},\n\n{message}.\n\nAccess ends when the placement ends: please do it and tick it \
                 in Practicum under Offboarding:\n\n{}\n\n{}\n",
                letterhead.link(&link),
                letterhead.signature()
            );
            notices::email(
                tx,
                &notices::Email {
                    kind: EmailKind::OffboardingOverdue,
                    user_id: Some(user_id),
                    name: user_name,
                    address: email,
                    subject: &format!("Offboarding overdue: {student}"),
                    body: &body,
                    line: &message,
                    link: &link,
                },
                now,
            )
            .await?;
        }
    }
    Ok(count)
}

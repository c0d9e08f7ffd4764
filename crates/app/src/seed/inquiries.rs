//! The public's inquiries, routed as the public page routes them.
use super::*;

/// The public's inquiries, routed as the public form routes them; the office has worked some.
pub(super) async fn seed_inquiries(
    tx: &mut Tx,
    office: &User,
    now: DateTime<Utc>,
) -> anyhow::Result<usize> {
    for (name, email, is_student, interest, school, program, message, status, ago) in INQUIRIES {
        let at = now - Duration::days(*ago) - Duration::hours(3);
        let (route, _) = crate::domain::inquiry::route(*is_student, interest);
        let inquiry = Inquiry {
            id: new_id(),
            name: name.to_string(),
            email: email.to_string(),
            is_student: *is_student,
            interest: interest.to_string(),
            school: school.map(String::from),
            program: program.map(String::from),
            message: Some(message.to_string()),
            route: route.into(),
            status: "new".into(),
            ip: None,
            created_at: at,
        };
        db::inquiries::insert(tx, &inquiry).await?;
        let public = Actor {
            user_id: None,
            label: format!("public inquiry from {email}"),
            ip: None,
            at,
        };
        db::audit::record(
            tx,
            &public,
            "create",
            "inquiry",
            &inquiry.id,
            None::<&()>,
            Some(&inquiry),
        )
        .await?;
        if *status != "new" {
            db::inquiries::set_status(tx, &inquiry.id, status).await?;
            let after = Inquiry {
                status: status.to_string(),
                ..inquiry.clone()
            };
            db::audit::record(
                tx,
                &actor_of(office, at + Duration::days(1)),
                "update",
                "inquiry",
                &inquiry.id,
                Some(&inquiry),
                Some(&after),
            )
            .await?;
        }
    }
    Ok(INQUIRIES.len())
}

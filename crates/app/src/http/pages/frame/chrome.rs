//! The frame every page is drawn in (`Chrome`): title, who is signed in, the navigation, and
//! the one-time key of a form that creates a record.
use crate::error::AppResult;
use crate::http::pages::extract::PageUser;
use crate::http::pages::view::NavItem;
use axum::{
    http::header,
    response::{IntoResponse, Response},
};

/// What every page's frame shows: title, who is signed in, the navigation, the CSRF token
/// for the header's sign-out form, and a one-line confirmation after a change.
pub struct Chrome {
    pub title: String,
    pub user_name: String,
    pub role_label: String,
    pub nav: Vec<NavItem>,
    pub csrf: String,
    pub banner: String,
    /// The signed-in user's unread notifications, shown in the top bar.
    pub unread: i64,
    /// The one-time key of a form that creates a record (`form_key`, see
    /// `http/idempotency.rs`); empty on every other page.
    pub form_key: String,
}

impl Chrome {
    pub fn public(title: impl Into<String>) -> Chrome {
        Chrome {
            title: title.into(),
            user_name: String::new(),
            role_label: String::new(),
            nav: vec![],
            csrf: String::new(),
            banner: String::new(),
            unread: 0,
            form_key: String::new(),
        }
    }
}

impl Chrome {
    /// Gives the page's form a fresh one-time key: posted twice (a second click, Back and
    /// submit again), it creates one record, and the second post goes where the first did.
    pub fn once(mut self) -> AppResult<Chrome> {
        self.form_key = crate::password::random_token()?;
        Ok(self)
    }
}

/// A page whose form carries a one-time key. Browsers may keep it for Back (`no-cache`, not
/// `no-store`), so Back shows the same form with the same key instead of fetching a new one.
pub fn once_page(page: impl IntoResponse) -> Response {
    ([(header::CACHE_CONTROL, "private, no-cache")], page).into_response()
}

impl PageUser {
    pub fn chrome(&self, title: impl Into<String>) -> Chrome {
        Chrome {
            title: title.into(),
            user_name: self.p.name.clone(),
            role_label: self.p.role.label().to_string(),
            nav: crate::http::pages::view::nav_for(
                self.p.role,
                self.p.department_id.as_deref(),
                self.p.student_id.as_deref(),
                &self.path,
            ),
            csrf: self.p.csrf_token.clone(),
            banner: self.banner.clone(),
            unread: self.unread,
            form_key: String::new(),
        }
    }
}

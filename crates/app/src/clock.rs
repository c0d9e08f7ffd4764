use chrono::{DateTime, NaiveDate, Utc};
use std::sync::{Arc, Mutex};

/// Time comes from here, never from `Utc::now()` directly, so tests can fix "today".
#[derive(Clone)]
pub enum Clock {
    System,
    Fixed(Arc<Mutex<DateTime<Utc>>>),
}

impl Clock {
    pub fn fixed(at: DateTime<Utc>) -> Self {
        Clock::Fixed(Arc::new(Mutex::new(at)))
    }

    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(t) => *t.lock().unwrap_or_else(|p| p.into_inner()),
        }
    }

    pub fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }

    /// Moves a fixed clock; a system clock ignores it.
    pub fn advance(&self, by: chrono::Duration) {
        if let Clock::Fixed(t) = self {
            let mut t = t.lock().unwrap_or_else(|p| p.into_inner());
            *t += by;
        }
    }
}

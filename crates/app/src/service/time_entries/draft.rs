//! An entry as given (new, or patched onto the stored row) and its shape rules.
use super::*;

/// An entry as it will be stored, before the rules have passed on it.
#[derive(Clone, Debug)]
pub(super) struct Draft {
    pub(super) date: Option<NaiveDate>,
    pub(super) kind: EntryKind,
    /// Hours given as hours (not derived from a clock).
    pub(super) minutes: Option<i64>,
    pub(super) clock_in: Option<NaiveTime>,
    pub(super) clock_out: Option<NaiveTime>,
    pub(super) activity: Option<String>,
    pub(super) notes: Option<String>,
    pub(super) absence_reason: Option<String>,
    pub(super) make_up_on: Option<NaiveDate>,
}

impl Draft {
    pub(super) fn new(f: &EntryFields) -> Draft {
        Draft {
            date: f.date,
            kind: f.kind.unwrap_or(EntryKind::Worked),
            minutes: f.hours.flatten(),
            clock_in: f.clock_in.flatten(),
            clock_out: f.clock_out.flatten(),
            activity: f.activity.clone().flatten(),
            notes: f.notes.clone().flatten(),
            absence_reason: f.absence_reason.clone().flatten(),
            make_up_on: f.make_up_on.flatten(),
        }
    }

    pub(super) fn of_row(r: &TimeEntryRow) -> Draft {
        let clock_in = r.clock_in.as_deref().and_then(hours::parse_clock);
        let clock_out = r.clock_out.as_deref().and_then(hours::parse_clock);
        let kind = EntryKind::parse(&r.kind).unwrap_or(EntryKind::Worked);
        Draft {
            date: Some(r.entry_date),
            kind,
            minutes: (kind == EntryKind::Worked && clock_in.is_none()).then_some(r.minutes),
            clock_in,
            clock_out,
            activity: r.activity.clone(),
            notes: r.notes.clone(),
            absence_reason: r.absence_reason.clone(),
            make_up_on: r.make_up_on,
        }
    }

    /// The stored entry with the changes: giving hours drops the clock, giving a clock drops
    /// the hours (unless both are given, which the rules refuse).
    pub(super) fn patched(mut self, f: &EntryFields) -> Draft {
        let clock_given = f.clock_in.is_some() || f.clock_out.is_some();
        if f.hours.is_some() && !clock_given {
            self.clock_in = None;
            self.clock_out = None;
        }
        if clock_given && f.hours.is_none() {
            self.minutes = None;
        }
        if let Some(d) = f.date {
            self.date = Some(d);
        }
        if let Some(k) = f.kind {
            self.kind = k;
        }
        set(&mut self.minutes, &f.hours);
        set(&mut self.clock_in, &f.clock_in);
        set(&mut self.clock_out, &f.clock_out);
        set(&mut self.activity, &f.activity);
        set(&mut self.notes, &f.notes);
        set(&mut self.absence_reason, &f.absence_reason);
        set(&mut self.make_up_on, &f.make_up_on);
        self
    }

    /// The shape rules (what a worked day and an absence each need and refuse); the minutes
    /// the entry counts.
    pub(super) fn shape(&self, problems: &mut Problems) -> i64 {
        // A field the edge could not read has its problem already; no second one about it.
        let unread: Vec<String> = problems.0.iter().filter_map(|e| e.field.clone()).collect();
        let mut mine = Problems::default();
        let minutes = self.shape_rules(&mut mine);
        for e in mine.0 {
            let about_unread = e.field.as_ref().is_some_and(|f| {
                unread.contains(f)
                    || (f == "hours"
                        && e.code == ErrorCode::Required
                        && ["clock_in", "clock_out"]
                            .iter()
                            .any(|c| unread.iter().any(|u| u == c)))
            });
            if !about_unread {
                problems.push(e);
            }
        }
        minutes
    }

    fn shape_rules(&self, problems: &mut Problems) -> i64 {
        match self.kind {
            EntryKind::Absence => {
                if self.absence_reason.is_none() {
                    problems.add(
                        "absence_reason",
                        ErrorCode::Required,
                        "absence_reason is required for an absence",
                    );
                }
                for (field, given) in [
                    ("hours", self.minutes.is_some()),
                    ("clock_in", self.clock_in.is_some()),
                    ("clock_out", self.clock_out.is_some()),
                ] {
                    if given {
                        problems.add(
                            field,
                            ErrorCode::NotApplicable,
                            format!("{field} is not given for an absence"),
                        );
                    }
                }
                0
            }
            EntryKind::Worked => {
                if self.activity.is_none() {
                    problems.add(
                        "activity",
                        ErrorCode::Required,
                        "activity is required: say what you did",
                    );
                }
                for (field, given) in [
                    ("absence_reason", self.absence_reason.is_some()),
                    ("make_up_on", self.make_up_on.is_some()),
                ] {
                    if given {
                        problems.add(
                            field,
                            ErrorCode::NotApplicable,
                            format!("{field} is given only for an absence"),
                        );
                    }
                }
                let clock = self.clock_in.is_some() || self.clock_out.is_some();
                match (self.minutes, clock) {
                    (Some(_), true) => {
                        problems.add(
                            "hours",
                            ErrorCode::HoursAndClock,
                            "give the hours, or clock_in and clock_out, not both",
                        );
                        0
                    }
                    (Some(m), false) => m,
                    (None, false) => {
                        problems.add(
                            "hours",
                            ErrorCode::Required,
                            "hours is required, or clock_in and clock_out",
                        );
                        0
                    }
                    (None, true) => match (self.clock_in, self.clock_out) {
                        (Some(a), Some(b)) => match hours::minutes_between(a, b) {
                            Ok(m) => m,
                            Err(code) => {
                                problems.add(
                                    "clock_out",
                                    code,
                                    "clock_out must be later than clock_in on the same day \
                                     (log a night across midnight as hours)",
                                );
                                0
                            }
                        },
                        (None, _) => {
                            problems.add(
                                "clock_in",
                                ErrorCode::Required,
                                "clock_in is required with clock_out",
                            );
                            0
                        }
                        (_, None) => {
                            problems.add(
                                "clock_out",
                                ErrorCode::Required,
                                "clock_out is required with clock_in",
                            );
                            0
                        }
                    },
                }
            }
        }
    }
}

/// A patch's field onto its slot: absent keeps, `null` clears, a value sets.
fn set<T: Clone>(slot: &mut Option<T>, v: &Option<Option<T>>) {
    if let Some(v) = v {
        *slot = v.clone();
    }
}

/// `HH:MM` as stored.
pub(super) fn clock_text(t: Option<NaiveTime>) -> Option<String> {
    t.map(|t| t.format("%H:%M").to_string())
}

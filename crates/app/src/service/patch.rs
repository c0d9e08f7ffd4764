//! An update merges what the edge read with the current record: a field given replaces the
//! value, a field left out keeps it, and a field the edge could not read (it reported the
//! problem) has no value, so no rule runs on a guess.
use crate::domain::Problems;

/// A field's value: the one given; else, when the edge found nothing wrong with the field, the
/// current one (`current`: the record's value, or the default on create).
pub fn keep<T: Clone>(
    problems: &Problems,
    field: &str,
    given: Option<T>,
    current: Option<&T>,
) -> Option<T> {
    match given {
        Some(v) => Some(v),
        None if problems.has_field(field) => None,
        None => current.cloned(),
    }
}

/// A clearable field's value: `Some(None)` when cleared or empty; `None` only when the edge
/// could not read it. `current` is `None` on create.
pub fn keep_optional<T: Clone>(
    problems: &Problems,
    field: &str,
    given: Option<Option<T>>,
    current: Option<&Option<T>>,
) -> Option<Option<T>> {
    match given {
        Some(v) => Some(v),
        None if problems.has_field(field) => None,
        None => Some(current.cloned().flatten()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ErrorCode;

    #[test]
    fn given_replaces_absent_keeps_unreadable_is_unknown() {
        let mut p = Problems::default();
        assert_eq!(keep(&p, "a", Some(2), Some(&1)), Some(2));
        assert_eq!(keep(&p, "a", None, Some(&1)), Some(1));
        assert_eq!(
            keep_optional(&p, "a", None, None::<&Option<i32>>),
            Some(None)
        );
        assert_eq!(keep_optional(&p, "a", None, Some(&Some(1))), Some(Some(1)));
        p.add("a", ErrorCode::InvalidNumber, "bad");
        assert_eq!(keep(&p, "a", None, Some(&1)), None);
        assert_eq!(keep_optional(&p, "a", None, Some(&Some(1))), None);
    }
}

/// Which records a caller may see, resolved from their role and links (see `domain::policy`).
/// Store list functions translate it into a WHERE clause; `get` results are checked with
/// the record's own `in_scope`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    All,
    School(String),
    Student(String),
    /// A department manager's department.
    Department(String),
    /// A preceptor or site mentor (hospital staff).
    Staff(String),
    /// A faculty member, by user id.
    Faculty(String),
    Nothing,
}

impl Scope {
    pub fn school(&self) -> Option<&str> {
        match self {
            Scope::School(s) => Some(s),
            _ => None,
        }
    }

    pub fn department(&self) -> Option<&str> {
        match self {
            Scope::Department(d) => Some(d),
            _ => None,
        }
    }

    pub fn is_all(&self) -> bool {
        matches!(self, Scope::All)
    }
}

/// Who a placement involves, for deciding who may see it (DOMAIN.md "Roles").
#[derive(Clone, Copy, Debug)]
pub struct PlacementParties<'a> {
    pub school_id: &'a str,
    pub student_id: Option<&'a str>,
    pub department_id: &'a str,
    pub preceptor_id: Option<&'a str>,
    pub site_mentor_id: Option<&'a str>,
    pub faculty_user_id: Option<&'a str>,
}

impl Scope {
    /// A school sees its own records; the office every one.
    pub fn sees_school(&self, school_id: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::School(s) => s == school_id,
            _ => false,
        }
    }

    /// Reading a student's record: the office, every school the student is or was enrolled
    /// at (a school keeps what was created while the student was theirs, issue 12 point 4),
    /// the student themself. (Those a student is placed with are found in the store:
    /// `db::students::placed_with`.)
    pub fn sees_student(&self, schools: &[&str], student_id: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::School(s) => schools.contains(&s.as_str()),
            Scope::Student(s) => s == student_id,
            _ => false,
        }
    }

    /// Changing a student's record: the office, a school the student is enrolled at now (not
    /// one they left), the student themself.
    pub fn manages_student(&self, current_schools: &[&str], student_id: &str) -> bool {
        self.sees_student(current_schools, student_id)
    }

    /// A department manager sees their own department; the office every one.
    pub fn sees_department(&self, department_id: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Department(d) => d == department_id,
            _ => false,
        }
    }

    /// The office, the school, the student, the department, the preceptor or site mentor and
    /// the faculty supervisor of a placement see it; nobody else.
    pub fn sees_placement(&self, p: &PlacementParties) -> bool {
        match self {
            Scope::All => true,
            Scope::School(s) => s == p.school_id,
            Scope::Student(s) => p.student_id == Some(s.as_str()),
            Scope::Department(d) => d == p.department_id,
            Scope::Staff(s) => {
                p.preceptor_id == Some(s.as_str()) || p.site_mentor_id == Some(s.as_str())
            }
            Scope::Faculty(u) => p.faculty_user_id == Some(u.as_str()),
            Scope::Nothing => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parties() -> PlacementParties<'static> {
        PlacementParties {
            school_id: "school",
            student_id: Some("student"),
            department_id: "dept",
            preceptor_id: Some("preceptor"),
            site_mentor_id: Some("mentor"),
            faculty_user_id: None,
        }
    }

    #[test]
    fn each_party_sees_the_placement_and_nobody_else() {
        let p = parties();
        for seer in [
            Scope::All,
            Scope::School("school".into()),
            Scope::Student("student".into()),
            Scope::Department("dept".into()),
            Scope::Staff("preceptor".into()),
            Scope::Staff("mentor".into()),
        ] {
            assert!(seer.sees_placement(&p), "{seer:?}");
        }
        for stranger in [
            Scope::School("other".into()),
            Scope::Student("other".into()),
            Scope::Department("other".into()),
            Scope::Staff("other".into()),
            Scope::Faculty("someone".into()),
            Scope::Nothing,
        ] {
            assert!(!stranger.sees_placement(&p), "{stranger:?}");
        }
    }

    #[test]
    fn a_school_sees_only_its_own() {
        assert!(Scope::All.sees_school("a"));
        assert!(Scope::School("a".into()).sees_school("a"));
        assert!(!Scope::School("b".into()).sees_school("a"));
        assert!(!Scope::Student("a".into()).sees_school("a"));
    }

    #[test]
    fn a_department_is_seen_by_the_office_and_its_own_manager() {
        assert!(Scope::All.sees_department("d1"));
        assert!(Scope::Department("d1".into()).sees_department("d1"));
        assert!(!Scope::Department("d2".into()).sees_department("d1"));
        assert!(!Scope::Staff("d1".into()).sees_department("d1"));
    }

    #[test]
    fn a_student_is_seen_by_the_office_their_school_and_themself() {
        assert!(Scope::All.sees_student(&["s1"], "x"));
        assert!(Scope::School("s1".into()).sees_student(&["s1"], "x"));
        assert!(!Scope::School("s2".into()).sees_student(&["s1"], "x"));
        assert!(Scope::Student("x".into()).sees_student(&["s1"], "x"));
        assert!(!Scope::Student("y".into()).sees_student(&["s1"], "x"));
        assert!(!Scope::Faculty("x".into()).sees_student(&["s1"], "x"));
    }

    /// A student enrolled at two schools is seen by both; one who left a school is still read
    /// by it but managed only by the schools they are at now.
    #[test]
    fn every_school_of_a_student_reads_them_and_only_current_ones_manage_them() {
        let a = Scope::School("a".into());
        let b = Scope::School("b".into());
        assert!(a.sees_student(&["a", "b"], "x") && b.sees_student(&["a", "b"], "x"));
        assert!(!Scope::School("c".into()).sees_student(&["a", "b"], "x"));
        assert!(a.manages_student(&["a"], "x"));
        assert!(!b.manages_student(&["a"], "x"));
        assert!(!b.sees_student(&[], "x"));
        assert!(Scope::All.manages_student(&[], "x"));
    }

    /// A scope names its school or department only when it is one (mutation testing).
    #[test]
    fn a_scope_names_its_school_or_department() {
        assert_eq!(Scope::School("s1".into()).school(), Some("s1"));
        assert_eq!(Scope::All.school(), None);
        assert_eq!(Scope::Department("d1".into()).department(), Some("d1"));
        assert_eq!(Scope::School("s1".into()).department(), None);
        assert!(Scope::All.is_all());
        assert!(!Scope::Nothing.is_all());
    }
}

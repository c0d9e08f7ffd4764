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

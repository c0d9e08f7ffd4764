use serde::{Deserialize, Serialize};

/// The seven roles of DOMAIN.md. A user has exactly one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Coordinator,
    SchoolCoordinator,
    Student,
    Preceptor,
    Faculty,
    DepartmentManager,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Admin,
        Role::Coordinator,
        Role::SchoolCoordinator,
        Role::Student,
        Role::Preceptor,
        Role::Faculty,
        Role::DepartmentManager,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Coordinator => "coordinator",
            Role::SchoolCoordinator => "school_coordinator",
            Role::Student => "student",
            Role::Preceptor => "preceptor",
            Role::Faculty => "faculty",
            Role::DepartmentManager => "department_manager",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Administrator",
            Role::Coordinator => "Placement coordinator",
            Role::SchoolCoordinator => "School coordinator",
            Role::Student => "Student",
            Role::Preceptor => "Preceptor",
            Role::Faculty => "Faculty supervisor",
            Role::DepartmentManager => "Department manager",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The education office: sees every school and every record.
    pub fn is_office(self) -> bool {
        matches!(self, Role::Admin | Role::Coordinator)
    }

    /// Which link a user of this role must carry.
    pub fn link(self) -> Option<Link> {
        match self {
            Role::SchoolCoordinator | Role::Faculty => Some(Link::School),
            Role::Student => Some(Link::Student),
            Role::Preceptor | Role::DepartmentManager => Some(Link::Staff),
            Role::Admin | Role::Coordinator => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Link {
    School,
    Staff,
    Student,
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }

    /// Each role's label, office membership, link and word (mutation testing).
    #[test]
    fn labels_office_links_and_words() {
        assert_eq!(Role::Faculty.label(), "Faculty supervisor");
        assert_eq!(Role::Coordinator.label(), "Placement coordinator");
        let office: Vec<Role> = Role::ALL.into_iter().filter(|r| r.is_office()).collect();
        assert_eq!(office, [Role::Admin, Role::Coordinator]);
        assert_eq!(Role::Faculty.link(), Some(Link::School));
        assert_eq!(Role::Student.link(), Some(Link::Student));
        assert_eq!(Role::DepartmentManager.link(), Some(Link::Staff));
        assert_eq!(Role::Admin.link(), None);
        assert_eq!(Role::SchoolCoordinator.to_string(), "school_coordinator");
    }
}

//! An uploaded file becomes an import's typed rows (`service::imports::NewImport`): columns
//! are found by their header — case, spaces and punctuation do not count, and the office's
//! words ("First name", "Expected graduation") are accepted — and each row's cells go through
//! the same readers as one record's JSON body (`input::students::student`, ...).
use crate::domain::{ErrorCode, FieldError, Problems, Role, scope::Scope};
use crate::error::AppError;
use crate::service::{
    Parsed,
    imports::{ImportKind, ImportRow, NewImport, StaffRole, StaffRow, StudentRow, UserRow},
};
use serde_json::{Map, Value};

pub mod table;
pub mod template;

/// One column an import takes: the field its problems name, the header words it answers to
/// (folded), and whether every row must fill it.
pub struct Column {
    pub field: &'static str,
    /// The header a template writes.
    pub header: &'static str,
    pub words: &'static [&'static str],
    pub required: bool,
}

const fn col(
    field: &'static str,
    header: &'static str,
    words: &'static [&'static str],
    required: bool,
) -> Column {
    Column {
        field,
        header,
        words,
        required,
    }
}

const STUDENTS: &[Column] = &[
    col(
        "first_name",
        "First name",
        &["firstname", "givenname", "forename"],
        true,
    ),
    col(
        "last_name",
        "Last name",
        &["lastname", "surname", "familyname"],
        true,
    ),
    col("email", "Email", &["email", "emailaddress", "mail"], true),
    col(
        "school_id",
        "School",
        &["school", "schoolid", "schoolname"],
        false,
    ),
    col(
        "program_id",
        "Program",
        &["program", "programme", "programid", "programname"],
        true,
    ),
    col(
        "enrollment_status",
        "Enrollment status",
        &["enrollmentstatus", "enrolmentstatus", "status"],
        false,
    ),
    col(
        "expected_graduation",
        "Expected graduation",
        &[
            "expectedgraduation",
            "expectedgraduationdate",
            "graduation",
            "graduationdate",
        ],
        false,
    ),
];

const STAFF: &[Column] = &[
    col("name", "Name", &["name", "fullname"], true),
    col("email", "Email", &["email", "emailaddress", "mail"], true),
    col(
        "department_id",
        "Department",
        &["department", "departmentid", "departmentname", "unit"],
        true,
    ),
    col("role", "Role", &["role", "stafftype"], false),
    col("discipline", "Discipline", &["discipline"], false),
    col(
        "credential",
        "Credential",
        &["credential", "credentials"],
        false,
    ),
    col(
        "license_number",
        "License number",
        &["licensenumber", "licencenumber", "license", "licence"],
        false,
    ),
    col(
        "license_expires_on",
        "License expires",
        &[
            "licenseexpires",
            "licenseexpireson",
            "licenceexpires",
            "licenseexpiry",
            "licenceexpiry",
            "licenseexpirydate",
        ],
        false,
    ),
    col(
        "is_preceptor",
        "Preceptor",
        &["preceptor", "ispreceptor"],
        false,
    ),
    col(
        "max_students",
        "Max students",
        &["maxstudents", "maximumstudents", "studentsatonce"],
        false,
    ),
];

const USERS: &[Column] = &[
    col("email", "Email", &["email", "emailaddress", "mail"], true),
    col("name", "Name", &["name", "fullname"], true),
    col("role", "Role", &["role"], true),
    col(
        "school_id",
        "School",
        &["school", "schoolid", "schoolname"],
        false,
    ),
    col(
        "staff_id",
        "Staff email",
        &["staff", "staffemail", "staffid"],
        false,
    ),
    col(
        "student_id",
        "Student email",
        &["student", "studentemail", "studentid"],
        false,
    ),
];

/// The columns of a kind, in template order.
pub fn columns(kind: ImportKind) -> &'static [Column] {
    match kind {
        ImportKind::Students => STUDENTS,
        ImportKind::Staff => STAFF,
        ImportKind::Users => USERS,
    }
}

fn fold(h: &str) -> String {
    h.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// One data row: the cell of each field that is filled, with its column's header.
struct Cells<'a> {
    line: u64,
    found: Vec<(&'static Column, &'a str, &'a str)>,
}

impl Cells<'_> {
    fn get(&self, field: &str) -> Option<String> {
        self.found
            .iter()
            .find(|(c, _, v)| c.field == field && !v.is_empty())
            .map(|(_, _, v)| v.to_string())
    }

    fn columns(&self) -> Vec<(String, String)> {
        self.found
            .iter()
            .map(|(c, h, _)| (c.field.to_string(), h.to_string()))
            .collect()
    }

    /// Every required cell left empty is `required`.
    fn required(&self, cols: &[Column], problems: &mut Problems) {
        for c in cols.iter().filter(|c| c.required) {
            if self.get(c.field).is_none() && !problems.has_field(c.field) {
                problems.add(
                    c.field,
                    ErrorCode::Required,
                    format!("{} is empty", c.header),
                );
            }
        }
    }

    /// The filled cells among `fields` as a JSON body for a record's reader.
    fn body(&self, fields: &[&str], lower: &[&str]) -> Map<String, Value> {
        let mut m = Map::new();
        for f in fields {
            if let Some(v) = self.get(f) {
                let v = if lower.contains(f) {
                    v.to_lowercase()
                } else {
                    v
                };
                m.insert(f.to_string(), Value::String(v));
            }
        }
        m
    }
}

/// Reads the file for `kind`. A file that cannot be read, or whose headers miss a required
/// column or name one the import does not take, is refused whole (422, line 1); row problems
/// travel with each row. `default_school`: a student row without a school goes there.
pub fn read(
    kind: ImportKind,
    bytes: &[u8],
    default_school: Option<&str>,
) -> Result<NewImport, AppError> {
    let t = table::read(bytes)?;
    let cols = columns(kind);
    let mut problems = Problems::default();
    let mut index: Vec<Option<&'static Column>> = Vec::new();
    for h in &t.headers {
        let f = fold(h);
        let c = cols.iter().find(|c| c.words.contains(&f.as_str()));
        if h.is_empty() {
        } else if c.is_none() {
            problems.push(
                FieldError::new(
                    ErrorCode::UnknownColumn,
                    None,
                    format!(
                        "{h:?} is not a column of a {} import; the columns are: {}",
                        kind.as_str(),
                        cols.iter().map(|c| c.header).collect::<Vec<_>>().join(", ")
                    ),
                )
                .in_file(1, Some(h)),
            );
        } else if index
            .iter()
            .flatten()
            .any(|o| std::ptr::eq(*o, c.unwrap_or(&cols[0])))
        {
            problems.push(
                FieldError::new(
                    ErrorCode::DuplicateInFile,
                    None,
                    format!("{h:?} is a second column for the same field"),
                )
                .in_file(1, Some(h)),
            );
        }
        index.push(c);
    }
    for c in cols.iter().filter(|c| c.required) {
        let missing = !index.iter().flatten().any(|o| std::ptr::eq(*o, c));
        let school_given = c.field == "school_id" && default_school.is_some();
        if missing && !school_given {
            problems.push(
                FieldError::new(
                    ErrorCode::MissingColumn,
                    None,
                    format!("the file has no {:?} column", c.header),
                )
                .in_file(1, None),
            );
        }
    }
    problems.into_result()?;
    let rows = t.rows.iter().map(|(line, cells)| Cells {
        line: *line,
        found: index
            .iter()
            .zip(&t.headers)
            .enumerate()
            .filter_map(|(i, (c, h))| {
                c.map(|c| (c, h.as_str(), cells.get(i).map_or("", String::as_str)))
            })
            .collect(),
    });
    Ok(match kind {
        ImportKind::Students => {
            NewImport::Students(rows.map(|r| student(&r, default_school)).collect())
        }
        ImportKind::Staff => NewImport::Staff(rows.map(|r| staff(&r)).collect()),
        ImportKind::Users => NewImport::Users(rows.map(|r| user(&r)).collect()),
    })
}

fn row<T>(cells: &Cells<'_>, fields: T, problems: Problems) -> ImportRow<T> {
    ImportRow {
        line: cells.line,
        columns: cells.columns(),
        input: Parsed::new(fields, problems),
    }
}

fn student(cells: &Cells<'_>, default_school: Option<&str>) -> ImportRow<StudentRow> {
    let body = cells.body(
        &[
            "first_name",
            "last_name",
            "email",
            "enrollment_status",
            "expected_graduation",
        ],
        &["enrollment_status"],
    );
    let Parsed {
        fields,
        mut problems,
        ..
    } = super::students::student(body, false, &Scope::All);
    cells.required(STUDENTS, &mut problems);
    let school = cells
        .get("school_id")
        .or(default_school.map(str::to_string));
    let fields = StudentRow {
        fields,
        school,
        program: cells.get("program_id"),
    };
    row(cells, fields, problems)
}

fn yes_no(v: &str) -> Value {
    match v.to_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "x" => Value::Bool(true),
        "no" | "n" | "false" | "0" => Value::Bool(false),
        _ => Value::String(v.to_string()),
    }
}

fn staff(cells: &Cells<'_>) -> ImportRow<StaffRow> {
    let mut body = cells.body(
        &[
            "name",
            "email",
            "credential",
            "license_number",
            "license_expires_on",
            "discipline",
        ],
        &["discipline"],
    );
    if let Some(p) = cells.get("is_preceptor") {
        body.insert("is_preceptor".into(), yes_no(&p));
    }
    if let Some(n) = cells.get("max_students") {
        body.insert(
            "max_students".into(),
            n.parse::<i64>().map_or(Value::String(n), Value::from),
        );
    }
    let mut problems = Problems::default();
    let role = cells.get("role").and_then(|r| match fold(&r).as_str() {
        "preceptor" => Some(StaffRole::Preceptor),
        "mentor" | "sitementor" => Some(StaffRole::Mentor),
        "manager" | "departmentmanager" => Some(StaffRole::Manager),
        _ => {
            problems.add(
                "role",
                ErrorCode::InvalidChoice,
                "must be one of: preceptor, mentor, manager",
            );
            None
        }
    });
    if role.is_some() && !body.contains_key("is_preceptor") {
        body.insert(
            "is_preceptor".into(),
            Value::Bool(role == Some(StaffRole::Preceptor)),
        );
    }
    let Parsed {
        fields,
        problems: mut p,
        ..
    } = super::staff::staff(body, false);
    p.0.extend(problems.0);
    cells.required(STAFF, &mut p);
    row(
        cells,
        StaffRow {
            fields,
            department: cells.get("department_id"),
            role,
        },
        p,
    )
}

fn user(cells: &Cells<'_>) -> ImportRow<UserRow> {
    let body = cells.body(&["email", "name"], &[]);
    let Parsed {
        fields,
        mut problems,
        ..
    } = super::users::new_user_fields(body);
    let role = cells.get("role").and_then(|r| {
        let r = r.trim().to_lowercase().replace([' ', '-'], "_");
        let found = Role::parse(&r);
        if found.is_none() {
            problems.add(
                "role",
                ErrorCode::InvalidChoice,
                format!("must be one of: {}", super::users::role_words()),
            );
        }
        found
    });
    cells.required(USERS, &mut problems);
    let fields = UserRow {
        email: fields.email,
        name: fields.name,
        role,
        school: cells.get("school_id"),
        staff: cells.get("staff_id").map(|s| s.to_lowercase()),
        student: cells.get("student_id").map(|s| s.to_lowercase()),
    };
    row(cells, fields, problems)
}

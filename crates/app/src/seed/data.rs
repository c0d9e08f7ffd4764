//! The demo's data tables: sites, departments, schools, programs, credentials, names, the
//! requests it asks for and the public's inquiries.
#![allow(clippy::type_complexity)]

pub(super) const SITES: &[&str] = &[
    "Bayview Medical Center",
    "Riverside Hospital",
    "Northgate Community Hospital",
];

/// The office's public contact in the demo: organisation, placement coordinator, e-mail for
/// clinical requests and phone (the settings, where they are not set already).
pub(super) const CONTACT: (&str, &str, &str, &str) = (
    "Bayview Health",
    "Dana Whitaker",
    "clinicals@bayviewhealth.test",
    "+1 (617) 555-0142",
);

/// The hospital system's mail domain, for staff.
pub(super) const STAFF_DOMAIN: &str = "bayviewhealth.test";

/// (site, name, setting, capacity, discipline codes hosted).
pub(super) type DeptRow = (
    usize,
    &'static str,
    &'static str,
    i64,
    &'static [&'static str],
);

#[rustfmt::skip]
pub(super) const DEPARTMENTS: &[DeptRow] = &[
    // Bayview Medical Center: the large teaching hospital.
    (0, "Diagnostic Imaging", "imaging", 6, &["radiography", "mri"]),
    (0, "Ultrasound", "imaging", 3, &["sonography"]),
    (0, "Nuclear Medicine and PET", "imaging", 2, &["nuclear_medicine"]),
    (0, "Radiation Oncology", "outpatient", 4, &["radiation_therapy", "medical_dosimetry"]),
    (0, "Cardiovascular Diagnostics and Cath Lab", "imaging", 3, &["cardiovascular_technology", "sonography"]),
    (0, "Main Operating Rooms", "surgical", 8, &["surgical_technology", "anesthesia_technology", "physician_assistant"]),
    (0, "Cardiac Surgery", "surgical", 2, &["perfusion", "surgical_technology"]),
    (0, "Emergency Department", "emergency", 6, &["paramedic", "physician_assistant", "social_work"]),
    (0, "Medical Intensive Care Unit", "critical_care", 4, &["respiratory_therapy", "pharmacy", "dietetics"]),
    (0, "Neonatal Intensive Care Unit", "critical_care", 3, &["respiratory_therapy", "occupational_therapy", "speech_language_pathology"]),
    (0, "Medical-Surgical Unit 5 West", "inpatient", 6, &["physician_assistant", "dietetics", "physical_therapy", "social_work"]),
    (0, "Neurology and Sleep Center", "outpatient", 4, &["neurodiagnostic_technology", "polysomnography"]),
    (0, "Core Laboratory", "laboratory", 6, &["medical_laboratory_science", "medical_laboratory_technician", "phlebotomy"]),
    (0, "Anatomic Pathology", "laboratory", 3, &["histotechnology", "medical_laboratory_science"]),
    (0, "Inpatient Pharmacy", "pharmacy", 5, &["pharmacy", "pharmacy_technician"]),
    (0, "Inpatient Rehabilitation", "rehabilitation", 6, &["physical_therapy", "physical_therapist_assistant", "occupational_therapy", "occupational_therapy_assistant", "speech_language_pathology"]),
    (0, "Audiology and ENT Clinic", "outpatient", 3, &["audiology", "speech_language_pathology"]),
    (0, "Cancer Genetics Clinic", "outpatient", 2, &["genetic_counseling"]),
    (0, "Inpatient Psychiatry", "behavioral_health", 4, &["psychology", "social_work", "occupational_therapy"]),
    (0, "Spiritual Care", "inpatient", 3, &["clinical_pastoral_education"]),
    (0, "Health Information Management", "office", 3, &["health_information_management"]),
    (0, "Information Services", "office", 4, &["information_technology", "health_information_management"]),
    (0, "Executive Office and Strategy", "office", 2, &["health_administration", "finance", "public_health"]),
    (0, "Quality and Patient Safety", "office", 2, &["quality_patient_safety", "public_health", "health_administration"]),
    (0, "Human Resources", "office", 2, &["human_resources"]),
    (0, "Marketing and Communications", "office", 2, &["marketing_communications"]),
    (0, "Finance and Revenue Cycle", "office", 3, &["finance", "health_administration"]),
    // Riverside Hospital: a mid-size acute-care hospital with a home health agency.
    (1, "Emergency Department", "emergency", 5, &["paramedic", "physician_assistant", "respiratory_therapy"]),
    (1, "Radiology", "imaging", 5, &["radiography", "sonography", "mri"]),
    (1, "Surgical Services", "surgical", 5, &["surgical_technology", "anesthesia_technology"]),
    (1, "Intensive Care Unit", "critical_care", 3, &["respiratory_therapy", "pharmacy"]),
    (1, "Medical Unit 3 North", "inpatient", 5, &["physician_assistant", "dietetics", "social_work"]),
    (1, "Outpatient Rehabilitation and Sports Medicine", "rehabilitation", 5, &["physical_therapy", "physical_therapist_assistant", "athletic_training", "occupational_therapy_assistant"]),
    (1, "Clinical Laboratory", "laboratory", 4, &["medical_laboratory_technician", "phlebotomy", "medical_laboratory_science"]),
    (1, "Outpatient Pharmacy", "pharmacy", 3, &["pharmacy", "pharmacy_technician"]),
    (1, "Riverside Home Health", "home_care", 4, &["physical_therapy", "occupational_therapy", "speech_language_pathology", "social_work", "dietetics"]),
    (1, "Behavioral Health Clinic", "behavioral_health", 3, &["psychology", "social_work"]),
    (1, "Primary Care and Internal Medicine", "outpatient", 4, &["physician_assistant", "dietetics", "pharmacy"]),
    (1, "Community and Population Health", "office", 3, &["public_health", "quality_patient_safety", "health_administration"]),
    // Northgate Community Hospital: a community hospital with a skilled nursing unit.
    (2, "Emergency Department", "emergency", 4, &["paramedic", "physician_assistant"]),
    (2, "Medical-Surgical Unit", "inpatient", 4, &["physician_assistant", "physical_therapy", "dietetics", "occupational_therapy"]),
    (2, "Imaging Services", "imaging", 4, &["radiography", "sonography"]),
    (2, "Laboratory", "laboratory", 3, &["phlebotomy", "medical_laboratory_technician"]),
    (2, "Respiratory Care and Sleep Lab", "outpatient", 3, &["respiratory_therapy", "polysomnography"]),
    (2, "Northgate Rehabilitation", "rehabilitation", 4, &["physical_therapy", "physical_therapist_assistant", "occupational_therapy_assistant", "speech_language_pathology"]),
    (2, "Skilled Nursing and Transitional Care", "long_term_care", 4, &["physical_therapist_assistant", "occupational_therapy_assistant", "speech_language_pathology", "dietetics", "social_work"]),
    (2, "Pharmacy", "pharmacy", 2, &["pharmacy_technician", "pharmacy"]),
    (2, "Business Office", "office", 3, &["finance", "health_information_management", "human_resources", "health_administration"]),
];

/// When an agreement ends.
#[derive(Clone, Copy)]
pub(super) enum Ends {
    /// 30 June, this many years after this year.
    June(i32),
    /// This many days from today.
    InDays(i64),
}

/// (name, city, state, mail domain, status, effective: 1 July this many years ago, ends,
/// disciplines covered (empty = all), note).
pub(super) type SchoolRow = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i32,
    Ends,
    &'static [&'static str],
    Option<&'static str>,
);

#[rustfmt::skip]
pub(super) const SCHOOLS: &[SchoolRow] = &[
    ("Harborview Community College", "Boston", "MA", "harborview.edu.test", "active", 8, Ends::June(3), &[], None),
    ("Concord River College of Health Sciences", "Lowell", "MA", "concordriver.edu.test", "active", 6, Ends::June(2),
        &["radiation_therapy", "medical_dosimetry", "nuclear_medicine", "sonography", "medical_laboratory_science"], None),
    ("Blackstone Valley University", "Worcester", "MA", "blackstonevalley.edu.test", "active", 10, Ends::June(4), &[], None),
    ("Narragansett Bay University", "Providence", "RI", "narragansettbay.edu.test", "active", 5, Ends::InDays(24), &[],
        Some("Renewal sent to the school's counsel; awaiting signature.")),
    ("Winooski University", "Burlington", "VT", "winooski.edu.test", "active", 4, Ends::June(1),
        &["psychology", "social_work", "clinical_pastoral_education", "health_information_management"], None),
    ("Fore River Community College", "Portland", "ME", "foreriver.edu.test", "active", 7, Ends::June(2), &[], None),
    ("Granite State Institute of Technology", "Manchester", "NH", "granitestate.edu.test", "active", 5, Ends::InDays(52),
        &["polysomnography", "neurodiagnostic_technology", "anesthesia_technology", "cardiovascular_technology"],
        Some("Renewal reminder sent.")),
    ("Thames River College", "New London", "CT", "thamesriver.edu.test", "active", 3, Ends::InDays(85), &[], None),
    ("Farmington Valley University", "Hartford", "CT", "farmingtonvalley.edu.test", "active", 2, Ends::June(3),
        &["perfusion", "finance", "marketing_communications"], None),
    ("Beacon Hill School of Health Management", "Boston", "MA", "beaconhill.edu.test", "active", 6, Ends::June(2),
        &["health_administration", "public_health", "quality_patient_safety", "information_technology", "health_information_management"], None),
    ("Salem Harbor Technical Institute", "Salem", "MA", "salemharbor.edu.test", "terminated", 6, Ends::June(1), &[],
        Some("Terminated by mutual consent when the school closed its surgical technology program.")),
    ("Berkshire Hills College", "Pittsfield", "MA", "berkshirehills.edu.test", "draft", -1, Ends::June(6), &[],
        Some("New affiliation: under review by the hospital's legal office.")),
    ("Mystic Valley Paramedic Academy", "Medford", "MA", "mysticvalley.edu.test", "active", 4, Ends::June(2),
        &["paramedic", "phlebotomy", "pharmacy_technician"], None),
];

/// Accreditation that ran out before today.
pub(super) const LAPSED: i32 = -1;

/// (school, name, discipline, degree level, students, accredited until 30 June this many
/// years after this year, or `LAPSED`).
pub(super) type ProgramRow = (usize, &'static str, &'static str, &'static str, usize, i32);

#[rustfmt::skip]
pub(super) const PROGRAMS: &[ProgramRow] = &[
    (0, "AS in Radiologic Technology", "radiography", "associate", 8, 4),
    (0, "AS in Respiratory Therapy", "respiratory_therapy", "associate", 8, 3),
    (0, "AS in Medical Laboratory Technician", "medical_laboratory_technician", "associate", 6, 2),
    (0, "Certificate in Phlebotomy", "phlebotomy", "certificate", 6, 5),
    (1, "BS in Diagnostic Medical Sonography", "sonography", "baccalaureate", 6, 3),
    (1, "BS in Nuclear Medicine Technology", "nuclear_medicine", "baccalaureate", 5, 4),
    (1, "BS in Medical Laboratory Science", "medical_laboratory_science", "baccalaureate", 6, 2),
    (1, "BS in Radiation Therapy", "radiation_therapy", "baccalaureate", 5, 5),
    (1, "Certificate in Medical Dosimetry", "medical_dosimetry", "certificate", 3, 3),
    (2, "Doctor of Physical Therapy", "physical_therapy", "doctoral", 8, 6),
    (2, "Master of Science in Occupational Therapy", "occupational_therapy", "masters", 7, 4),
    (2, "MS in Speech-Language Pathology", "speech_language_pathology", "masters", 7, 3),
    (2, "MS in Physician Assistant Studies", "physician_assistant", "masters", 7, 5),
    (2, "MS in Athletic Training", "athletic_training", "masters", 4, 2),
    (3, "Doctor of Pharmacy (PharmD)", "pharmacy", "doctoral", 7, 4),
    (3, "Doctor of Audiology (AuD)", "audiology", "doctoral", 3, 3),
    (3, "MS in Genetic Counseling", "genetic_counseling", "masters", 3, 4),
    (3, "MS in Nutrition and Dietetics", "dietetics", "masters", 5, 2),
    (4, "PsyD in Clinical Psychology", "psychology", "doctoral", 4, 5),
    (4, "Master of Social Work", "social_work", "masters", 6, 4),
    (4, "BS in Health Information Management", "health_information_management", "baccalaureate", 5, 3),
    (4, "Clinical Pastoral Education Residency", "clinical_pastoral_education", "certificate", 3, 4),
    (5, "AS in Physical Therapist Assistant", "physical_therapist_assistant", "associate", 6, 3),
    (5, "AS in Occupational Therapy Assistant", "occupational_therapy_assistant", "associate", 6, 4),
    (5, "Certificate in Pharmacy Technology", "pharmacy_technician", "certificate", 5, 2),
    (6, "AS in Polysomnographic Technology", "polysomnography", "associate", 4, 2),
    (6, "AS in Neurodiagnostic Technology", "neurodiagnostic_technology", "associate", 4, 3),
    (6, "AS in Anesthesia Technology", "anesthesia_technology", "associate", 4, LAPSED),
    (6, "AS in Cardiovascular Technology", "cardiovascular_technology", "associate", 5, 4),
    (7, "BS in Radiologic Sciences", "radiography", "baccalaureate", 6, 3),
    (7, "BS in Magnetic Resonance Imaging", "mri", "baccalaureate", 4, 4),
    (7, "AS in Surgical Technology", "surgical_technology", "associate", 6, 2),
    (7, "Certificate in Histotechnology", "histotechnology", "certificate", 3, 3),
    (8, "MS in Perfusion Science", "perfusion", "masters", 3, 4),
    (8, "BS in Finance", "finance", "baccalaureate", 4, 6),
    (8, "BS in Human Resource Management", "human_resources", "baccalaureate", 3, 6),
    (8, "BA in Marketing and Communication", "marketing_communications", "baccalaureate", 4, 6),
    (9, "Master of Health Administration", "health_administration", "masters", 5, 4),
    (9, "Master of Public Health", "public_health", "masters", 5, 3),
    (9, "MS in Healthcare Quality and Patient Safety", "quality_patient_safety", "masters", 3, 5),
    (9, "MS in Health Informatics", "information_technology", "masters", 4, 5),
    (10, "Certificate in Surgical Technology", "surgical_technology", "certificate", 4, 1),
    (11, "AS in Radiography", "radiography", "associate", 5, 4),
    (12, "Paramedic Certificate", "paramedic", "certificate", 6, 3),
];

/// (discipline, credential, licence or certification prefix).
pub(super) const CREDENTIALS: &[(&str, &str, &str)] = &[
    ("radiography", "RT(R)", "RT"),
    ("radiation_therapy", "RT(T)", "RT"),
    ("mri", "RT(R)(MR)", "RT"),
    ("medical_dosimetry", "CMD", "MDCB"),
    ("nuclear_medicine", "CNMT", "NMT"),
    ("sonography", "RDMS", "ARDMS"),
    ("cardiovascular_technology", "RCIS", "CCI"),
    ("surgical_technology", "CST", "NBSTSA"),
    ("paramedic", "NRP", "EMTP"),
    ("perfusion", "CCP", "ABCP"),
    ("neurodiagnostic_technology", "R. EEG T.", "ABRET"),
    ("polysomnography", "RPSGT", "BRPT"),
    ("anesthesia_technology", "Cer.A.T.", "ASATT"),
    ("respiratory_therapy", "RRT", "RC"),
    ("physical_therapy", "PT, DPT", "PT"),
    ("physical_therapist_assistant", "PTA", "PTA"),
    ("occupational_therapy", "OTR/L", "OT"),
    ("occupational_therapy_assistant", "COTA/L", "OTA"),
    ("speech_language_pathology", "MS, CCC-SLP", "SLP"),
    ("audiology", "AuD, CCC-A", "AUD"),
    ("pharmacy", "PharmD, RPh", "RPH"),
    ("pharmacy_technician", "CPhT", "PHT"),
    (
        "clinical_pastoral_education",
        "MDiv, ACPE Certified Educator",
        "ACPE",
    ),
    ("medical_laboratory_science", "MLS(ASCP)", "MLS"),
    ("medical_laboratory_technician", "MLT(ASCP)", "MLT"),
    ("histotechnology", "HTL(ASCP)", "HTL"),
    ("phlebotomy", "PBT(ASCP)", "PBT"),
    ("dietetics", "MS, RDN, LDN", "LDN"),
    ("physician_assistant", "PA-C", "PA"),
    ("athletic_training", "ATC", "AT"),
    ("genetic_counseling", "MS, CGC", "GC"),
    ("social_work", "LICSW", "LICSW"),
    ("psychology", "PhD", "PSY"),
    ("health_information_management", "RHIA", ""),
    ("health_administration", "MHA, FACHE", ""),
    ("public_health", "MPH, CPH", ""),
    ("information_technology", "MS, CISSP", ""),
    ("finance", "CPA", ""),
    ("human_resources", "SHRM-SCP", ""),
    ("marketing_communications", "MBA", ""),
    ("quality_patient_safety", "CPHQ", ""),
];

pub(super) const PRECEPTORS: usize = 52;
/// Department managers (non-preceptor staff) for this many clinical departments, in order.
pub(super) const MANAGERS: usize = 12;

pub(super) const FIRST_NAMES: &[&str] = &[
    "Olivia", "Liam", "Sofia", "Mateo", "Aisha", "Ethan", "Mei", "Noah", "Priya", "Lucas",
    "Fatima", "Owen", "Grace", "Diego", "Hannah", "Kwame", "Chloe", "Ravi", "Emma", "Jamal",
    "Nora", "Tuan", "Isabella", "Connor", "Yasmin", "Samuel", "Ava", "Andre", "Leah", "Hiroshi",
    "Camila", "Patrick", "Amara", "Benjamin", "Julia", "Omar", "Madison", "Kevin", "Lucia",
    "Darnell", "Zoe", "Ibrahim", "Abigail", "Marcus", "Elena", "Sean", "Nadia", "Tyler", "Rosa",
    "Daniel", "Anh", "Gabriel", "Maya", "Victor", "Keisha", "Ryan", "Ingrid", "Caleb", "Thanh",
    "Brianna", "Joao", "Erin", "Malik", "Sarah", "Dmitri", "Lily", "Carlos", "Megan", "Wei",
    "Aaliyah",
];

#[rustfmt::skip]
pub(super) const LAST_NAMES: &[&str] = &[
    "Nguyen", "Murphy", "Santos", "Patel", "O'Brien", "Kim", "Rodriguez", "Sullivan", "Chen",
    "Williams", "Haddad", "Johnson", "Pereira", "Walsh", "Okafor", "Garcia", "Thompson", "Tran",
    "Fitzgerald", "Ahmed", "Brown", "Lopez", "McCarthy", "Singh", "Davis", "Costa", "Kelly", "Wong",
    "Martinez", "Doyle", "Mensah", "Rivera", "Shapiro", "Nakamura", "Baptiste", "Harris", "Silva",
    "Gallagher", "Hernandez", "Levine", "Osei", "Moreau", "Ryan", "Castillo", "Jean-Baptiste",
    "Cohen", "Pham", "Medeiros", "Dubois", "Kowalski", "Flynn", "Alvarez", "Reyes", "Bergeron",
    "Ali", "Carter", "Tavares", "Lindqvist", "Greene", "Duarte", "Moran", "Park", "Rossi",
    "Brennan", "Adeyemi", "Ortiz", "Fontaine", "Lee", "Mahoney", "Gupta",
];

/// The demo faculty member, whose sign-in is the faculty one of DEMO_USERS.
pub(super) const DEMO_FACULTY_NAME: &str = "Priya Raman";

/// Where a demo request stands today.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Outcome {
    /// In the office's queue.
    Submitted,
    /// In the queue, though the school's agreement now ends before the request does, so the
    /// queue shows it ineligible. Stored as received: submission would refuse it today.
    Lapsing,
    Waitlisted(&'static str),
    Declined(&'static str),
    /// Withdrawn by whoever submitted it.
    Withdrawn(&'static str),
    /// Approved into placements in the first preferred department with room and preceptors;
    /// `confirmed`: the school has confirmed the first of them.
    Approved {
        confirmed: bool,
    },
    /// Last term's: approved, and completed by now.
    Completed,
}

#[derive(Clone, Copy)]
pub(super) enum Faculty {
    /// The demo faculty sign-in.
    Demo,
    /// (name, email)
    Named(&'static str, &'static str),
}

/// An internship's course (code, title, credits) and its faculty supervisor.
pub(super) type Internship = (&'static str, &'static str, i64, Faculty);

/// One demo placement request.
pub(super) struct Ask {
    /// The program, by name.
    pub(super) program: &'static str,
    /// Name the demo student first.
    pub(super) demo_student: bool,
    /// Named students, the demo student included; the others are the program's enrolled
    /// students nobody has asked for yet.
    pub(super) named: usize,
    pub(super) slots: i64,
    /// Ranked (site, department name); each hosts the program's discipline.
    pub(super) prefs: &'static [(usize, &'static str)],
    /// Starts this many weeks after the Monday on or after today. Last term's end shortly
    /// before today instead.
    pub(super) start: i64,
    pub(super) weeks: i64,
    pub(super) hours: i64,
    /// Shift days (space-separated), start and end.
    pub(super) shift: (&'static str, &'static str, &'static str),
    pub(super) start_window_weeks: i64,
    pub(super) submitted_days_ago: i64,
    pub(super) internship: Option<Internship>,
    pub(super) notes: Option<&'static str>,
    pub(super) outcome: Outcome,
}

pub(super) const DAYS: (&str, &str, &str) = ("mon tue wed thu fri", "07:00", "15:30");
pub(super) const TWELVES: (&str, &str, &str) = ("tue wed thu", "07:00", "19:00");
pub(super) const OFFICE_DAYS: (&str, &str, &str) = ("mon wed thu", "08:30", "16:30");

pub(super) const fn ask(
    program: &'static str,
    named: usize,
    prefs: &'static [(usize, &'static str)],
    start: i64,
    weeks: i64,
    submitted_days_ago: i64,
    outcome: Outcome,
) -> Ask {
    Ask {
        program,
        demo_student: false,
        named,
        slots: 0,
        prefs,
        start,
        weeks,
        hours: 40,
        shift: DAYS,
        start_window_weeks: 0,
        submitted_days_ago,
        internship: None,
        notes: None,
        outcome,
    }
}

pub(super) const IMAGING: &[(usize, &str)] = &[(0, "Diagnostic Imaging"), (1, "Radiology")];

/// Last term's completed placements, then next term's requests, oldest first. Bayview's
/// Diagnostic Imaging is asked for more than it can give over the next 16 weeks.
#[rustfmt::skip]
pub(super) const ASKS: &[Ask] = &[
    Ask { hours: 32, ..ask("AS in Radiologic Technology", 2, &[(0, "Diagnostic Imaging")], 0, 12, 0, Outcome::Completed) },
    ask("Doctor of Physical Therapy", 1, &[(1, "Riverside Home Health"), (0, "Medical-Surgical Unit 5 West")], 0, 10, 0, Outcome::Completed),
    Ask { hours: 36, shift: TWELVES, ..ask("Paramedic Certificate", 1, &[(0, "Emergency Department"), (1, "Emergency Department")], 0, 8, 0, Outcome::Completed) },
    ask("BS in Medical Laboratory Science", 1, &[(0, "Core Laboratory"), (1, "Clinical Laboratory")], 4, 10, 34,
        Outcome::Withdrawn("The student accepted a rotation at a laboratory closer to home.")),
    Ask { demo_student: true, hours: 32,
        ..ask("AS in Radiologic Technology", 1, IMAGING, 3, 10, 30, Outcome::Approved { confirmed: true }) },
    Ask { hours: 32, ..ask("BS in Radiologic Sciences", 2, IMAGING, 3, 8, 28, Outcome::Approved { confirmed: false }) },
    ask("Doctor of Physical Therapy", 2, &[(0, "Medical-Surgical Unit 5 West"), (1, "Riverside Home Health")], 3, 12, 27,
        Outcome::Approved { confirmed: false }),
    ask("BS in Diagnostic Medical Sonography", 1, &[(0, "Ultrasound"), (0, "Cardiovascular Diagnostics and Cath Lab")], 4, 8, 25,
        Outcome::Approved { confirmed: false }),
    Ask { hours: 32, ..ask("AS in Radiologic Technology", 3, IMAGING, 4, 10, 24, Outcome::Waitlisted(
        "Diagnostic Imaging's preceptors are committed for these weeks; we will offer the first seats that free up.")) },
    Ask { hours: 36, shift: TWELVES, slots: 1, notes: Some("The second student will be named after the midterm practical."),
        ..ask("Paramedic Certificate", 1, &[(0, "Emergency Department"), (1, "Emergency Department")], 3, 8, 22,
            Outcome::Approved { confirmed: false }) },
    Ask { notes: Some("Surgery rotation."),
        ..ask("MS in Physician Assistant Studies", 1, &[(0, "Main Operating Rooms"), (0, "Emergency Department")], 4, 6, 21,
            Outcome::Approved { confirmed: false }) },
    Ask { hours: 24, shift: OFFICE_DAYS,
        internship: Some(("HCA 690", "Administrative Residency in Health Care Management", 6, Faculty::Demo)),
        ..ask("Master of Health Administration", 1, &[(0, "Executive Office and Strategy"), (0, "Quality and Patient Safety")], 3, 12, 20,
            Outcome::Approved { confirmed: false }) },
    ask("AS in Physical Therapist Assistant", 1, &[(2, "Northgate Rehabilitation"), (2, "Skilled Nursing and Transitional Care")], 3, 6, 19,
        Outcome::Approved { confirmed: false }),
    Ask { hours: 36, shift: TWELVES,
        ..ask("AS in Respiratory Therapy", 1, &[(0, "Medical Intensive Care Unit"), (1, "Intensive Care Unit")], 4, 8, 18,
            Outcome::Approved { confirmed: false }) },
    ask("Master of Science in Occupational Therapy", 2, &[(0, "Neonatal Intensive Care Unit"), (0, "Inpatient Rehabilitation")], 5, 12, 17,
        Outcome::Waitlisted("The NICU's occupational therapist takes one student at a time; we will confirm once the current rotation's dates are settled.")),
    ask("AS in Surgical Technology", 2, &[(0, "Main Operating Rooms"), (1, "Surgical Services")], 3, 8, 16,
        Outcome::Declined("The operating rooms take no new students while the surgical suites are renovated this spring; please ask again for the summer.")),
    Ask { hours: 32, start_window_weeks: 2, notes: Some("Second cohort; can start up to two weeks later."),
        ..ask("BS in Radiologic Sciences", 2, &[(0, "Diagnostic Imaging")], 5, 10, 15, Outcome::Lapsing) },
    Ask { hours: 32, slots: 3, notes: Some("Students will be named after the spring competency exams."),
        ..ask("AS in Radiologic Technology", 0, &[(0, "Diagnostic Imaging"), (2, "Imaging Services")], 6, 12, 14, Outcome::Submitted) },
    Ask { hours: 32, ..ask("BS in Magnetic Resonance Imaging", 2, IMAGING, 3, 8, 13, Outcome::Submitted) },
    ask("BS in Nuclear Medicine Technology", 1, &[(0, "Nuclear Medicine and PET")], 5, 10, 12, Outcome::Submitted),
    ask("BS in Radiation Therapy", 2, &[(0, "Radiation Oncology")], 6, 12, 11, Outcome::Submitted),
    Ask { slots: 1, ..ask("MS in Speech-Language Pathology", 1,
        &[(0, "Neonatal Intensive Care Unit"), (0, "Inpatient Rehabilitation"), (1, "Riverside Home Health")], 5, 10, 10, Outcome::Submitted) },
    ask("AS in Medical Laboratory Technician", 2, &[(0, "Core Laboratory"), (1, "Clinical Laboratory")], 4, 8, 9, Outcome::Submitted),
    Ask { hours: 24, slots: 3, shift: ("mon tue wed", "06:00", "14:00"),
        ..ask("Certificate in Phlebotomy", 0, &[(0, "Core Laboratory"), (2, "Laboratory")], 3, 6, 8, Outcome::Submitted) },
    Ask { hours: 20, shift: OFFICE_DAYS,
        ..ask("PsyD in Clinical Psychology", 1, &[(0, "Inpatient Psychiatry"), (1, "Behavioral Health Clinic")], 8, 12, 7, Outcome::Submitted) },
    ask("AS in Occupational Therapy Assistant", 2, &[(2, "Northgate Rehabilitation"), (2, "Skilled Nursing and Transitional Care")], 4, 8, 6,
        Outcome::Submitted),
    Ask { hours: 20, shift: OFFICE_DAYS,
        internship: Some(("FIN 495", "Internship in Health Care Finance", 3,
            Faculty::Named("Robert Lindqvist", "robert.lindqvist@farmingtonvalley.edu.test"))),
        ..ask("BS in Finance", 1, &[(0, "Finance and Revenue Cycle")], 6, 10, 5, Outcome::Submitted) },
    Ask { hours: 20, shift: OFFICE_DAYS,
        internship: Some(("PH 698", "Applied Practice Experience", 3, Faculty::Demo)),
        ..ask("Master of Public Health", 1, &[(1, "Community and Population Health"), (0, "Quality and Patient Safety")], 7, 12, 4,
            Outcome::Submitted) },
    Ask { hours: 36, shift: TWELVES, slots: 2,
        ..ask("Paramedic Certificate", 0, &[(1, "Emergency Department"), (2, "Emergency Department")], 8, 8, 2, Outcome::Submitted) },
];

/// (name, email, is a student, interest, school, program, message, status, days ago), oldest first.
pub(super) type InquiryRow = (
    &'static str,
    &'static str,
    bool,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    &'static str,
    &'static str,
    i64,
);

#[rustfmt::skip]
pub(super) const INQUIRIES: &[InquiryRow] = &[
    ("Lucia Reyes", "lucia.reyes@mail.test", false, "clinical", None, None,
        "I am changing careers and thinking about sonography. Could I do a clinical rotation with your ultrasound team?",
        "closed", 26),
    ("Tyler Brennan", "tyler.brennan@mail.test", false, "observership", None, None,
        "I am applying to physical therapy school and need 40 observation hours. Could I shadow in inpatient rehabilitation?",
        "contacted", 15),
    ("Rosa Medeiros", "rosa.medeiros@mail.test", false, "volunteer", None, None,
        "Retired nurse, free two mornings a week. Happy to help wherever I am useful.",
        "contacted", 10),
    ("Amara Osei", "amara.osei@mail.test", false, "volunteer", None, None,
        "Pre-med college student hoping to volunteer in the emergency department on weekends.",
        "new", 5),
    ("Hiroshi Tavares", "hiroshi.tavares@mail.test", true, "internship", Some("Boston Metro University"),
        Some("BS in Health Informatics"),
        "My program requires a summer internship. Can I intern with your Information Services team?",
        "new", 3),
    ("Gabriel Fontaine", "gabriel.fontaine@mail.test", false, "observership", None, None,
        "High school senior interested in radiology. Could I shadow a technologist for a day?",
        "new", 2),
    ("Keisha Walsh", "keisha.walsh@berkshirehills.edu.test", true, "clinical", Some("Berkshire Hills College"),
        Some("AS in Radiography"),
        "Can I do my first clinical rotation at Bayview next fall?",
        "new", 1),
];

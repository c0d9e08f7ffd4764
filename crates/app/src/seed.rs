//! Demo data: a realistic hospital system to sign in to and click through.
//!
//! Three hospitals of "Bayview Health", ~45 departments across every care setting, 13 New
//! England schools with their affiliation agreements and programs, ~220 students, 80 staff
//! (52 preceptors) and one sign-in per role. Then the placement work: last term's completed
//! placements, ~26 requests for next term in every state (the office's queue, waitlisted,
//! declined, withdrawn, approved into placements for every role's demo sign-in, one gone
//! ineligible since submission), with Bayview's Diagnostic Imaging over-asked, and the
//! public's inquiries. Requests and placements pass the API's own checks (`parse_request`,
//! eligibility, `check_and_insert`). Everything is deterministic (a fixed-seed LCG picks names
//! and statuses) and every date is relative to the clock's today, so the demo reads the same
//! whenever it is loaded. Written in one transaction, so it is all or nothing.
use crate::db::{
    self, Scope, Tx,
    agreements::Agreement,
    audit::Actor,
    departments::Department,
    inquiries::Inquiry,
    new_id,
    placements::PlacementRow,
    programs::Program,
    requests::{Course, FacultySupervisor, PlacementRequest, Preference, Shift},
    schools::School,
    sites::Site,
    staff::{Leave, Staff},
    students::Student,
    users::User,
};
use crate::domain::{capacity::first_full_day, eligibility::Stage, period::Period};
use crate::http::error::{AppError, AppResult};
use crate::service::Parsed;
use crate::service::placements::{self, NewPlacement};
use crate::service::requests::{self, RequestFields};
use crate::state::AppState;
use anyhow::{Context, anyhow};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use std::collections::{HashMap, HashSet};

pub const DEMO_PASSWORD: &str = "practicum-demo";
pub const DEMO_USERS: &[(&str, &str)] = &[
    ("admin", "admin@demo.practicum.test"),
    ("coordinator", "coordinator@demo.practicum.test"),
    ("school_coordinator", "school@demo.practicum.test"),
    ("student", "student@demo.practicum.test"),
    ("preceptor", "preceptor@demo.practicum.test"),
    ("faculty", "faculty@demo.practicum.test"),
    ("department_manager", "manager@demo.practicum.test"),
];

/// The demo is already in the database: nothing was written.
#[derive(Debug)]
pub struct AlreadySeeded(pub String);

impl std::fmt::Display for AlreadySeeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the demo hospital system is already in this database ({}); nothing was added",
            self.0
        )
    }
}

impl std::error::Error for AlreadySeeded {}

const SITES: &[&str] = &[
    "Bayview Medical Center",
    "Riverside Hospital",
    "Northgate Community Hospital",
];

/// The hospital system's mail domain, for staff.
const STAFF_DOMAIN: &str = "bayviewhealth.test";

/// (site, name, setting, capacity, discipline codes hosted).
type DeptRow = (
    usize,
    &'static str,
    &'static str,
    i64,
    &'static [&'static str],
);

#[rustfmt::skip]
const DEPARTMENTS: &[DeptRow] = &[
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
enum Ends {
    /// 30 June, this many years after this year.
    June(i32),
    /// This many days from today.
    InDays(i64),
}

/// (name, city, state, mail domain, status, effective: 1 July this many years ago, ends,
/// disciplines covered (empty = all), note).
type SchoolRow = (
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
const SCHOOLS: &[SchoolRow] = &[
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
const LAPSED: i32 = -1;

/// (school, name, discipline, degree level, students, accredited until 30 June this many
/// years after this year, or `LAPSED`).
type ProgramRow = (usize, &'static str, &'static str, &'static str, usize, i32);

#[rustfmt::skip]
const PROGRAMS: &[ProgramRow] = &[
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
const CREDENTIALS: &[(&str, &str, &str)] = &[
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

const PRECEPTORS: usize = 52;
/// Department managers (non-preceptor staff) for this many clinical departments, in order.
const MANAGERS: usize = 12;

const FIRST_NAMES: &[&str] = &[
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
const LAST_NAMES: &[&str] = &[
    "Nguyen", "Murphy", "Santos", "Patel", "O'Brien", "Kim", "Rodriguez", "Sullivan", "Chen",
    "Williams", "Haddad", "Johnson", "Pereira", "Walsh", "Okafor", "Garcia", "Thompson", "Tran",
    "Fitzgerald", "Ahmed", "Brown", "Lopez", "McCarthy", "Singh", "Davis", "Costa", "Kelly", "Wong",
    "Martinez", "Doyle", "Mensah", "Rivera", "Shapiro", "Nakamura", "Baptiste", "Harris", "Silva",
    "Gallagher", "Hernandez", "Levine", "Osei", "Moreau", "Ryan", "Castillo", "Jean-Baptiste",
    "Cohen", "Pham", "Medeiros", "Dubois", "Kowalski", "Flynn", "Alvarez", "Reyes", "Bergeron",
    "Ali", "Carter", "Tavares", "Lindqvist", "Greene", "Duarte", "Moran", "Park", "Rossi",
    "Brennan", "Adeyemi", "Ortiz", "Fontaine", "Lee", "Mahoney", "Gupta",
];

/// A fixed-seed linear congruential generator (Knuth's MMIX constants): the same demo every time.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Draws names nobody else in the demo has, and mail addresses to go with them.
struct People {
    rng: Lcg,
    names: HashSet<(usize, usize)>,
    emails: HashSet<String>,
}

impl People {
    fn name(&mut self) -> (&'static str, &'static str) {
        loop {
            let f = self.rng.below(FIRST_NAMES.len());
            let l = self.rng.below(LAST_NAMES.len());
            if self.names.insert((f, l)) {
                return (FIRST_NAMES[f], LAST_NAMES[l]);
            }
        }
    }

    fn email(&mut self, first: &str, last: &str, domain: &str) -> String {
        let clean = |s: &str| -> String {
            s.chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_lowercase()
        };
        let base = format!("{}.{}", clean(first), clean(last));
        let mut n = 1;
        loop {
            let local = if n == 1 {
                base.clone()
            } else {
                format!("{base}{n}")
            };
            let email = format!("{local}@{domain}");
            if self.emails.insert(email.clone()) {
                return email;
            }
            n += 1;
        }
    }
}

fn ymd(y: i32, m: u32, d: u32) -> anyhow::Result<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| anyhow!("no such date {y}-{m}-{d}"))
}

/// The last day of the month `months` after today's month.
fn end_of_month_after(today: NaiveDate, months: i32) -> anyhow::Result<NaiveDate> {
    let m0 = today.month0() as i32 + months;
    let (y, m) = (
        today.year() + m0.div_euclid(12),
        m0.rem_euclid(12) as u32 + 1,
    );
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    Ok(ymd(ny, nm, 1)? - Duration::days(1))
}

/// Commencement days (20 May and 18 December) strictly after `today`, the `k`-th of them.
fn commencement_after(today: NaiveDate, k: usize) -> anyhow::Result<NaiveDate> {
    let mut dates = Vec::new();
    for y in today.year()..=today.year() + 5 {
        dates.push(ymd(y, 5, 20)?);
        dates.push(ymd(y, 12, 18)?);
    }
    dates
        .into_iter()
        .filter(|d| *d > today)
        .nth(k)
        .ok_or_else(|| anyhow!("commencement {k} after {today}"))
}

/// The last commencement day on or before `today`.
fn commencement_before(today: NaiveDate) -> anyhow::Result<NaiveDate> {
    let y = today.year();
    [ymd(y, 12, 18)?, ymd(y, 5, 20)?, ymd(y - 1, 12, 18)?]
        .into_iter()
        .find(|d| *d <= today)
        .ok_or_else(|| anyhow!("commencement before {today}"))
}

/// How many commencements away a student in a program of this level may be.
fn terms_ahead(level: &str) -> usize {
    match level {
        "certificate" => 2,
        "associate" => 4,
        "masters" => 4,
        _ => 6,
    }
}

fn credential_of(discipline: &str) -> (&'static str, &'static str) {
    CREDENTIALS
        .iter()
        .find(|c| c.0 == discipline)
        .map_or(("", ""), |c| (c.1, c.2))
}

/// Which (department, discipline) each preceptor works in: first one preceptor for every
/// clinical discipline (where it is first hosted), then the rest spread over the departments
/// and disciplines that have the fewest so far.
fn preceptor_slots(clinical: &HashSet<&str>) -> Vec<(usize, &'static str)> {
    let pairs: Vec<(usize, &'static str)> = DEPARTMENTS
        .iter()
        .enumerate()
        .filter(|(_, d)| d.2 != "office")
        .flat_map(|(i, d)| d.4.iter().map(move |c| (i, *c)))
        .filter(|(_, c)| clinical.contains(c))
        .collect();
    let mut chosen: Vec<(usize, &'static str)> = Vec::new();
    for (code, ..) in crate::domain::catalog::DISCIPLINES {
        if let Some(p) = pairs.iter().find(|p| p.1 == *code)
            && chosen.len() < PRECEPTORS
        {
            chosen.push(*p);
        }
    }
    while chosen.len() < PRECEPTORS {
        let count = |f: &dyn Fn(&(usize, &str)) -> bool| chosen.iter().filter(|c| f(c)).count();
        let next = pairs
            .iter()
            .filter(|p| !chosen.contains(p))
            .min_by_key(|p| (count(&|c| c.0 == p.0), count(&|c| c.1 == p.1)))
            .copied();
        match next {
            Some(p) => chosen.push(p),
            None => break,
        }
    }
    chosen
}

/// Loads the demo hospital system, in one transaction. Refuses with [`AlreadySeeded`] when
/// the demo's first site or one of its sign-ins is already there.
pub async fn seed_demo(st: &AppState) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let today = st.clock.today();
    let now = st.clock.now();
    let year = today.year();
    let actor = Actor {
        user_id: None,
        label: "demo seed".into(),
        ip: None,
        at: now,
    };

    // Hash before taking the write lock: argon2 is slow on purpose.
    let mut hashes = Vec::new();
    for _ in DEMO_USERS {
        hashes.push(crate::password::hash(DEMO_PASSWORD.to_string()).await?);
    }

    let mut tx = st.db.write().await?;
    if db::sites::all(&mut tx)
        .await?
        .iter()
        .any(|s| s.name == SITES[0])
    {
        return Err(AlreadySeeded(format!("site {:?} exists", SITES[0])).into());
    }
    for (_, email) in DEMO_USERS {
        if db::users::by_email(&mut tx, email).await?.is_some() {
            return Err(AlreadySeeded(format!("user {email} exists")).into());
        }
    }

    let catalog: HashMap<String, db::disciplines::Discipline> = db::disciplines::all(&mut tx)
        .await?
        .into_iter()
        .map(|d| (d.code.clone(), d))
        .collect();
    let clinical: HashSet<&str> = crate::domain::catalog::DISCIPLINES
        .iter()
        .filter(|d| catalog.get(d.0).is_some_and(|c| c.clinical))
        .map(|d| d.0)
        .collect();

    // Sites and departments.
    let mut site_ids = Vec::new();
    for name in SITES {
        let s = Site {
            id: new_id(),
            name: name.to_string(),
        };
        db::sites::insert(&mut tx, &s).await?;
        audit(&mut tx, &actor, "site", &s.id, &s).await?;
        site_ids.push(s.id);
    }
    let mut dept_ids = Vec::new();
    for (site, name, setting, capacity, codes) in DEPARTMENTS {
        let d = Department {
            id: new_id(),
            site_id: site_ids[*site].clone(),
            name: name.to_string(),
            setting: setting.to_string(),
            capacity: *capacity,
            disciplines: codes.iter().map(|c| c.to_string()).collect(),
        };
        db::departments::insert(&mut tx, &d)
            .await
            .with_context(|| format!("department {name}"))?;
        audit(&mut tx, &actor, "department", &d.id, &d).await?;
        dept_ids.push(d.id);
    }

    // Schools and their agreements.
    let mut school_ids = Vec::new();
    for (name, city, state, _, status, since, ends, codes, note) in SCHOOLS {
        let s = School {
            id: new_id(),
            name: name.to_string(),
            city: city.to_string(),
            state: state.to_string(),
        };
        db::schools::insert(&mut tx, &s).await?;
        audit(&mut tx, &actor, "school", &s.id, &s).await?;
        let effective_on = if *since < 0 {
            // A draft for a new affiliation starts next 1 July.
            let this_july = ymd(year, 7, 1)?;
            if this_july > today {
                this_july
            } else {
                ymd(year + 1, 7, 1)?
            }
        } else {
            ymd(year - since, 7, 1)?
        };
        let expires_on = match ends {
            Ends::June(n) if *since < 0 => ymd(effective_on.year() + n - 1, 6, 30)?,
            Ends::June(n) => ymd(year + n, 6, 30)?,
            Ends::InDays(n) => today + Duration::days(*n),
        };
        let a = Agreement {
            id: new_id(),
            school_id: s.id.clone(),
            status: status.to_string(),
            effective_on,
            expires_on,
            disciplines: codes.iter().map(|c| c.to_string()).collect(),
            note: note.map(String::from),
            document_name: None,
            document_sha256: None,
            document_size: None,
        };
        db::agreements::insert(&mut tx, &a)
            .await
            .with_context(|| format!("agreement of {name}"))?;
        audit(&mut tx, &actor, "agreement", &a.id, &a).await?;
        school_ids.push(s.id);
    }

    // Programs and their students.
    let mut people = People {
        rng: Lcg(20_270_104),
        names: HashSet::new(),
        emails: HashSet::new(),
    };
    let mut demo_student: Option<Student> = None;
    let mut students = 0;
    // Each program's id and students, in the order of PROGRAMS.
    let mut programs: Vec<(Program, Vec<Student>)> = Vec::new();
    for (school, name, code, level, n, until) in PROGRAMS {
        let accreditor = catalog
            .get(*code)
            .map(|d| d.accreditor.clone())
            .ok_or_else(|| anyhow!("discipline {code} is not in the catalog"))?;
        let accredited_until = if *until == LAPSED {
            today - Duration::days(75)
        } else {
            ymd(year + until, 6, 30)?
        };
        let p = Program {
            id: new_id(),
            school_id: school_ids[*school].clone(),
            name: name.to_string(),
            discipline: code.to_string(),
            degree_level: level.to_string(),
            accreditor,
            accredited_until: Some(accredited_until),
        };
        db::programs::insert(&mut tx, &p)
            .await
            .with_context(|| format!("program {name}"))?;
        audit(&mut tx, &actor, "program", &p.id, &p).await?;
        let domain = SCHOOLS[*school].3;
        let mut roster = Vec::new();
        for i in 0..*n {
            let (first, last) = people.name();
            let roll = people.rng.below(100);
            // The demo student's own record: the first one of the first program.
            let status = match roll {
                _ if demo_student.is_none() => "enrolled",
                0..4 => "leave",
                4..7 => "withdrawn",
                7..11 => "graduated",
                _ => "enrolled",
            };
            let expected_graduation = match status {
                "withdrawn" => None,
                "graduated" => Some(commencement_before(today)?),
                _ => Some(commencement_after(
                    today,
                    (i + people.rng.below(terms_ahead(level))) % terms_ahead(level),
                )?),
            };
            let s = Student {
                id: new_id(),
                school_id: p.school_id.clone(),
                program_id: p.id.clone(),
                first_name: first.to_string(),
                last_name: last.to_string(),
                email: people.email(first, last, domain),
                enrollment_status: status.to_string(),
                expected_graduation,
            };
            db::students::insert(&mut tx, &s)
                .await
                .with_context(|| format!("student {}", s.email))?;
            audit(&mut tx, &actor, "student", &s.id, &s).await?;
            students += 1;
            if demo_student.is_none() {
                demo_student = Some(s.clone());
            }
            roster.push(s);
        }
        programs.push((p, roster));
    }

    // Staff: preceptors, department managers, and site mentors in the offices.
    let mut staff_rows: Vec<Staff> = Vec::new();
    for (i, (dept, code)) in preceptor_slots(&clinical).into_iter().enumerate() {
        let (first, last) = people.name();
        let (credential, prefix) = credential_of(code);
        let license_expires_on = match i {
            9 => today + Duration::days(20),
            23 => today + Duration::days(41),
            37 => today + Duration::days(55),
            44 => today - Duration::days(12),
            0 => end_of_month_after(today, 26)?,
            _ => end_of_month_after(today, 4 + people.rng.below(32) as i32)?,
        };
        let leave = match i {
            5 => vec![Leave {
                starts_on: today + Duration::days(14),
                ends_on: today + Duration::days(27),
            }],
            17 => vec![Leave {
                starts_on: today + Duration::days(35),
                ends_on: today + Duration::days(125),
            }],
            29 => vec![Leave {
                starts_on: today - Duration::days(10),
                ends_on: today + Duration::days(18),
            }],
            _ => vec![],
        };
        staff_rows.push(Staff {
            id: new_id(),
            name: format!("{first} {last}"),
            email: people.email(first, last, STAFF_DOMAIN),
            department_id: dept_ids[dept].clone(),
            discipline: Some(code.to_string()),
            credential: Some(credential.to_string()),
            license_number: Some(format!(
                "{prefix}-{:06}",
                100_000 + people.rng.below(900_000)
            )),
            license_expires_on: Some(license_expires_on),
            is_preceptor: true,
            max_students: if i % 3 == 0 { 2 } else { 1 },
            leave,
        });
    }
    let mut manager_of_first: Option<String> = None;
    for (dept, _) in DEPARTMENTS
        .iter()
        .enumerate()
        .filter(|(_, d)| d.2 != "office")
        .take(MANAGERS)
    {
        let (first, last) = people.name();
        let s = Staff {
            id: new_id(),
            name: format!("{first} {last}"),
            email: people.email(first, last, STAFF_DOMAIN),
            department_id: dept_ids[dept].clone(),
            discipline: None,
            credential: Some("MBA".into()),
            license_number: None,
            license_expires_on: None,
            is_preceptor: false,
            max_students: 0,
            leave: vec![],
        };
        if manager_of_first.is_none() {
            manager_of_first = Some(s.id.clone());
        }
        staff_rows.push(s);
    }
    for (dept, d) in DEPARTMENTS
        .iter()
        .enumerate()
        .filter(|(_, d)| d.2 == "office")
    {
        // Two mentors in the main campus's offices, one elsewhere.
        let mentors = if d.0 == 0 { 2 } else { 1 };
        for m in 0..mentors {
            let code = d.4[m % d.4.len()];
            let (first, last) = people.name();
            let (credential, _) = credential_of(code);
            staff_rows.push(Staff {
                id: new_id(),
                name: format!("{first} {last}"),
                email: people.email(first, last, STAFF_DOMAIN),
                department_id: dept_ids[dept].clone(),
                discipline: Some(code.to_string()),
                credential: Some(credential.to_string()),
                license_number: None,
                license_expires_on: None,
                is_preceptor: false,
                max_students: 2,
                leave: vec![],
            });
        }
    }
    for s in &staff_rows {
        db::staff::insert(&mut tx, s)
            .await
            .with_context(|| format!("staff {}", s.email))?;
        audit(&mut tx, &actor, "staff", &s.id, s).await?;
    }

    // One sign-in per role.
    let demo_student = demo_student.ok_or_else(|| anyhow!("no demo student"))?;
    let preceptor = staff_rows
        .first()
        .filter(|s| s.is_preceptor)
        .ok_or_else(|| anyhow!("no demo preceptor"))?;
    let manager = manager_of_first.ok_or_else(|| anyhow!("no demo department manager"))?;
    let faculty_school = school_ids
        .get(9)
        .ok_or_else(|| anyhow!("no faculty school"))?;
    let manager_name = staff_rows
        .iter()
        .find(|s| s.id == manager)
        .map(|s| s.name.clone())
        .unwrap_or_default();
    let mut users: HashMap<&str, User> = HashMap::new();
    for ((role, email), hash) in DEMO_USERS.iter().zip(hashes) {
        let (name, school_id, staff_id, student_id) = match *role {
            "admin" => ("Morgan Ellis".to_string(), None, None, None),
            "coordinator" => ("Jordan Castillo".to_string(), None, None, None),
            "school_coordinator" => (
                "Dana Whitfield".to_string(),
                Some(school_ids[0].clone()),
                None,
                None,
            ),
            "student" => (
                demo_student.full_name(),
                None,
                None,
                Some(demo_student.id.clone()),
            ),
            "preceptor" => (
                preceptor.name.clone(),
                None,
                Some(preceptor.id.clone()),
                None,
            ),
            "faculty" => (
                DEMO_FACULTY_NAME.to_string(),
                Some(faculty_school.clone()),
                None,
                None,
            ),
            "department_manager" => (manager_name.clone(), None, Some(manager.clone()), None),
            other => return Err(anyhow!("no demo user for role {other}")),
        };
        let u = User {
            id: new_id(),
            email: email.to_string(),
            name,
            role: role.to_string(),
            school_id,
            staff_id,
            student_id,
            password_hash: Some(hash),
            created_at: now,
        };
        db::users::insert(&mut tx, &u).await?;
        audit(&mut tx, &actor, "user", &u.id, &u).await?;
        users.insert(*role, u);
    }

    // The placement work: last term's completed placements, next term's requests in every
    // state, and the public's inquiries.
    let user = |role: &str| {
        users
            .get(role)
            .ok_or_else(|| anyhow!("no demo {role} sign-in"))
    };
    let work = Work {
        today,
        now,
        site_ids: &site_ids,
        dept_ids: &dept_ids,
        programs: &programs,
        staff: &staff_rows,
        demo_student: &demo_student.id,
        office: user("coordinator")?,
        school_coordinator: user("school_coordinator")?,
        faculty: user("faculty")?,
    };
    let (requests, placements) = seed_placement_work(&mut tx, &work).await?;
    let inquiries = seed_inquiries(&mut tx, work.office, now).await?;
    tx.commit().await?;
    tracing::info!(
        requests,
        placements,
        inquiries,
        sites = SITES.len(),
        departments = DEPARTMENTS.len(),
        schools = SCHOOLS.len(),
        programs = PROGRAMS.len(),
        students,
        staff = staff_rows.len(),
        preceptors = staff_rows.iter().filter(|s| s.is_preceptor).count(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "seeded the demo hospital system"
    );
    Ok(())
}

/// The demo faculty member, whose sign-in is the faculty one of DEMO_USERS.
const DEMO_FACULTY_NAME: &str = "Priya Raman";

/// Where a demo request stands today.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
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
enum Faculty {
    /// The demo faculty sign-in.
    Demo,
    /// (name, email)
    Named(&'static str, &'static str),
}

/// An internship's course (code, title, credits) and its faculty supervisor.
type Internship = (&'static str, &'static str, i64, Faculty);

/// One demo placement request.
struct Ask {
    /// The program, by name.
    program: &'static str,
    /// Name the demo student first.
    demo_student: bool,
    /// Named students, the demo student included; the others are the program's enrolled
    /// students nobody has asked for yet.
    named: usize,
    slots: i64,
    /// Ranked (site, department name); each hosts the program's discipline.
    prefs: &'static [(usize, &'static str)],
    /// Starts this many weeks after the Monday on or after today. Last term's end shortly
    /// before today instead.
    start: i64,
    weeks: i64,
    hours: i64,
    /// Shift days (space-separated), start and end.
    shift: (&'static str, &'static str, &'static str),
    start_window_weeks: i64,
    submitted_days_ago: i64,
    internship: Option<Internship>,
    notes: Option<&'static str>,
    outcome: Outcome,
}

const DAYS: (&str, &str, &str) = ("mon tue wed thu fri", "07:00", "15:30");
const TWELVES: (&str, &str, &str) = ("tue wed thu", "07:00", "19:00");
const OFFICE_DAYS: (&str, &str, &str) = ("mon wed thu", "08:30", "16:30");

const fn ask(
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

const IMAGING: &[(usize, &str)] = &[(0, "Diagnostic Imaging"), (1, "Radiology")];

/// Last term's completed placements, then next term's requests, oldest first. Bayview's
/// Diagnostic Imaging is asked for more than it can give over the next 16 weeks.
#[rustfmt::skip]
const ASKS: &[Ask] = &[
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

/// What the placement work is written against.
struct Work<'a> {
    today: NaiveDate,
    now: DateTime<Utc>,
    site_ids: &'a [String],
    dept_ids: &'a [String],
    programs: &'a [(Program, Vec<Student>)],
    staff: &'a [Staff],
    demo_student: &'a str,
    office: &'a User,
    school_coordinator: &'a User,
    faculty: &'a User,
}

impl Work<'_> {
    /// The same time of day as now, on `day`.
    fn on(&self, day: NaiveDate) -> DateTime<Utc> {
        self.now - (self.today - day)
    }
}

fn actor_of(u: &User, at: DateTime<Utc>) -> Actor {
    Actor {
        user_id: Some(u.id.clone()),
        label: format!("{} <{}>", u.name, u.email),
        ip: None,
        at,
    }
}

/// An API answer as an error that says what failed.
fn api<T>(r: AppResult<T>, what: &str) -> anyhow::Result<T> {
    r.map_err(|e| anyhow!("{what}: {e:?}"))
}

/// Requests and placements through the API's own checks: each request is parsed and checked
/// by `parse_request` as of the day it was submitted, and each approval is re-checked for
/// eligibility and placed by `check_and_insert`, capacity included. Answers how many requests
/// and placements were written.
async fn seed_placement_work(tx: &mut Tx, w: &Work<'_>) -> anyhow::Result<(usize, usize)> {
    let today = w.today;
    let monday =
        today + Duration::days(i64::from((7 - today.weekday().num_days_from_monday()) % 7));
    let jan1 = ymd(today.year(), 1, 1)?;
    // Last term ended three weeks ago or, early in January, within this year still.
    let last_term_ends = if today - Duration::weeks(3) >= jan1 {
        today - Duration::weeks(3)
    } else {
        (today - Duration::days(1)).max(jan1)
    };
    let mut asked_for: HashSet<String> = HashSet::from([w.demo_student.to_string()]);
    let mut placed_last_term = asked_for.clone();
    let (mut requests, mut placements) = (0, 0);
    for a in ASKS {
        let pi = PROGRAMS
            .iter()
            .position(|p| p.1 == a.program)
            .ok_or_else(|| anyhow!("no program {:?}", a.program))?;
        let (program, roster) = &w.programs[pi];
        let past = a.outcome == Outcome::Completed;
        let (starts_on, ends_on) = if past {
            (
                last_term_ends - Duration::days(7 * a.weeks - 3),
                last_term_ends,
            )
        } else {
            let s = monday + Duration::weeks(a.start);
            (s, s + Duration::days(7 * a.weeks - 3))
        };
        let submitted_on = if past {
            starts_on - Duration::weeks(6)
        } else {
            today - Duration::days(a.submitted_days_ago)
        };
        let submitted_at = w.on(submitted_on);

        let mut student_ids = Vec::new();
        if a.demo_student {
            student_ids.push(w.demo_student.to_string());
        }
        let mut enrolled: Vec<&Student> = roster
            .iter()
            .filter(|s| s.enrollment_status == "enrolled")
            .collect();
        let taken = if past {
            enrolled.reverse();
            &mut placed_last_term
        } else {
            &mut asked_for
        };
        for s in enrolled {
            if student_ids.len() >= a.named {
                break;
            }
            if taken.insert(s.id.clone()) {
                student_ids.push(s.id.clone());
            }
        }
        if student_ids.len() < a.named {
            return Err(anyhow!("{}: not enough enrolled students", a.program));
        }

        let mut prefs = Vec::new();
        for (site, name) in a.prefs {
            let d = DEPARTMENTS
                .iter()
                .position(|d| d.0 == *site && d.1 == *name)
                .ok_or_else(|| anyhow!("no department {name} at {}", SITES[*site]))?;
            if !DEPARTMENTS[d].4.contains(&program.discipline.as_str()) {
                return Err(anyhow!("{name} does not host {}", program.discipline));
            }
            prefs.push(d);
        }
        let (days, from, to) = a.shift;
        let draft = PlacementRequest {
            id: new_id(),
            kind: if a.internship.is_some() {
                "internship"
            } else {
                "clinical"
            }
            .into(),
            school_id: program.school_id.clone(),
            program_id: program.id.clone(),
            starts_on,
            ends_on,
            hours_per_week: a.hours,
            student_ids,
            slots: a.slots,
            preferences: prefs
                .iter()
                .map(|d| Preference {
                    site_id: w.site_ids[DEPARTMENTS[*d].0].clone(),
                    department_id: Some(w.dept_ids[*d].clone()),
                })
                .collect(),
            shifts: days
                .split_whitespace()
                .map(|d| Shift {
                    weekday: d.into(),
                    starts_at: from.into(),
                    ends_at: to.into(),
                })
                .collect(),
            start_window_weeks: a.start_window_weeks,
            together: false,
            notes: a.notes.map(String::from),
            course: a.internship.map(|(code, title, credits, _)| Course {
                code: code.into(),
                title: title.into(),
                credits,
            }),
            faculty_supervisor: a.internship.map(|(.., f)| match f {
                Faculty::Demo => FacultySupervisor {
                    name: w.faculty.name.clone(),
                    email: w.faculty.email.clone(),
                },
                Faculty::Named(name, email) => FacultySupervisor {
                    name: name.into(),
                    email: email.into(),
                },
            }),
            status: "submitted".into(),
            decision_reason: None,
            decided_at: None,
            created_at: submitted_at,
            eligibility: None,
            placements: None,
        };
        let mut req = if a.outcome == Outcome::Lapsing {
            let problems = api(
                requests::eligibility_of(tx, &draft, Stage::Approval).await,
                a.program,
            )?;
            if problems.is_empty() {
                return Err(anyhow!("{}: meant to be ineligible by now", a.program));
            }
            draft
        } else {
            let input = Parsed::new(RequestFields::of(&draft), Default::default());
            api(
                requests::check_new_request(tx, &Scope::All, input, submitted_on).await,
                a.program,
            )?
        };
        req.created_at = submitted_at;
        let submitter = if w.school_coordinator.school_id.as_ref() == Some(&req.school_id) {
            w.school_coordinator
        } else {
            w.office
        };
        db::requests::insert(tx, &req, &submitter.id).await?;
        db::audit::record(
            tx,
            &actor_of(submitter, submitted_at),
            "submit",
            "placement_request",
            &req.id,
            None::<&()>,
            Some(&req),
        )
        .await?;
        requests += 1;

        let decided_at = (submitted_at + Duration::days(6)).min(w.now - Duration::hours(2));
        let (status, action, reason, by) = match a.outcome {
            Outcome::Submitted | Outcome::Lapsing => continue,
            Outcome::Waitlisted(r) => ("waitlisted", "decision:waitlist", r, w.office),
            Outcome::Declined(r) => ("declined", "decision:decline", r, w.office),
            Outcome::Withdrawn(r) => ("withdrawn", "withdraw", r, submitter),
            Outcome::Approved { .. } | Outcome::Completed => {
                let rows = approve(tx, w, a, &req, &program.discipline, &prefs, decided_at).await?;
                let Some(rows) = rows else {
                    // Only on a day when preceptors' leave or licences fall unluckily: a
                    // request for next term stays in the queue, last term's was declined.
                    tracing::warn!(program = a.program, "no room for a demo approval");
                    if past {
                        let reason = "No preceptor had room for these dates.";
                        settle(
                            tx,
                            w.office,
                            &req,
                            "declined",
                            "decision:decline",
                            Some(reason),
                            decided_at,
                        )
                        .await?;
                    }
                    continue;
                };
                placements += rows.len();
                if let (Outcome::Approved { confirmed: true }, Some(first)) =
                    (a.outcome, rows.first())
                {
                    let at = (decided_at + Duration::days(2)).min(w.now - Duration::hours(1));
                    transition(tx, submitter, first, "confirmed", at).await?;
                }
                if past {
                    for r in &rows {
                        let r = transition(tx, w.office, r, "active", w.on(r.starts_on)).await?;
                        transition(tx, w.office, &r, "completed", w.on(r.ends_on)).await?;
                    }
                }
                continue;
            }
        };
        settle(tx, by, &req, status, action, Some(reason), decided_at).await?;
    }
    Ok((requests, placements))
}

/// Approves a request as the office would: eligibility again, then one placement per student
/// and slot, each in the first preferred department with room and a preceptor with a free
/// slot (a site mentor for an intern), all through the API's `check_and_insert`. `None` when
/// some seat fits nowhere.
async fn approve(
    tx: &mut Tx,
    w: &Work<'_>,
    a: &Ask,
    req: &PlacementRequest,
    discipline: &str,
    prefs: &[usize],
    decided_at: DateTime<Utc>,
) -> anyhow::Result<Option<Vec<PlacementRow>>> {
    let problems = api(
        requests::eligibility_of(tx, req, Stage::Approval).await,
        a.program,
    )?;
    if !problems.is_empty() {
        return Err(anyhow!("{}: not eligible: {problems:?}", a.program));
    }
    let faculty_user_id = match a.internship {
        None => None,
        Some((.., Faculty::Demo)) => Some(w.faculty.id.clone()),
        Some(_) => {
            return Err(anyhow!(
                "{}: only the demo faculty's interns are placed",
                a.program
            ));
        }
    };
    let period = Period::new(req.starts_on, req.ends_on)
        .ok_or_else(|| anyhow!("{}: the period ends before it starts", a.program))?;
    let seats: Vec<Option<String>> = req
        .student_ids
        .iter()
        .cloned()
        .map(Some)
        .chain((0..req.slots).map(|_| None))
        .collect();
    let mut entries: Vec<NewPlacement> = Vec::new();
    for student_id in seats {
        let mut chosen = None;
        for d in prefs {
            let dept_id = &w.dept_ids[*d];
            // Room in the department, counting this decision's seats.
            let mut held: Vec<Period> =
                db::placements::held_in_department(tx, dept_id, period.starts_on, period.ends_on)
                    .await?
                    .into_iter()
                    .filter_map(|(a, b)| Period::new(a, b))
                    .collect();
            held.extend(
                entries
                    .iter()
                    .filter(|e| e.department_id == *dept_id)
                    .map(|_| period),
            );
            if first_full_day(DEPARTMENTS[*d].3, &held, period).is_some() {
                continue;
            }
            if req.kind != "clinical" {
                let in_dept = |s: &&Staff| !s.is_preceptor && s.department_id == *dept_id;
                let mentor = w
                    .staff
                    .iter()
                    .filter(in_dept)
                    .find(|s| s.discipline.as_deref() == Some(discipline))
                    .or_else(|| {
                        w.staff
                            .iter()
                            .find(|s| in_dept(s) && s.discipline.is_some())
                    });
                chosen = Some((dept_id, None, mentor.map(|s| s.id.clone())));
                break;
            }
            // The first preceptor of the discipline there who is licensed, not on leave, and
            // has a free slot on every day.
            for s in w.staff.iter().filter(|s| {
                s.is_preceptor
                    && s.department_id == *dept_id
                    && s.discipline.as_deref() == Some(discipline)
                    && s.license_expires_on.is_none_or(|d| d >= period.ends_on)
                    && !s.leave.iter().any(|l| {
                        Period::new(l.starts_on, l.ends_on).is_some_and(|l| l.overlaps(&period))
                    })
            }) {
                let mut held: Vec<Period> =
                    db::placements::held_by_preceptor(tx, &s.id, period.starts_on, period.ends_on)
                        .await?
                        .into_iter()
                        .filter_map(|(a, b)| Period::new(a, b))
                        .collect();
                held.extend(
                    entries
                        .iter()
                        .filter(|e| e.preceptor_id.as_deref() == Some(s.id.as_str()))
                        .map(|_| period),
                );
                if first_full_day(s.max_students, &held, period).is_none() {
                    chosen = Some((dept_id, Some(s.id.clone()), None));
                    break;
                }
            }
            if chosen.is_some() {
                break;
            }
        }
        let Some((dept_id, preceptor_id, site_mentor_id)) = chosen else {
            return Ok(None);
        };
        entries.push(NewPlacement {
            student_id,
            department_id: dept_id.clone(),
            preceptor_id,
            site_mentor_id,
            starts_on: req.starts_on,
            ends_on: req.ends_on,
        });
    }
    let rows = match placements::check_and_insert(
        tx,
        req,
        discipline,
        &entries,
        faculty_user_id,
        decided_at,
    )
    .await
    {
        Ok(rows) => rows,
        Err(AppError::Rejected(p)) if p.status() == 409 => return Ok(None),
        Err(e) => return Err(anyhow!("{}: {e:?}", a.program)),
    };
    for r in &rows {
        db::audit::record(
            tx,
            &actor_of(w.office, decided_at),
            "create",
            "placement",
            &r.id,
            None::<&()>,
            Some(r),
        )
        .await?;
    }
    settle(
        tx,
        w.office,
        req,
        "approved",
        "decision:approve",
        None,
        decided_at,
    )
    .await?;
    Ok(Some(rows))
}

/// A request's decision or withdrawal, with its audit entry.
async fn settle(
    tx: &mut Tx,
    by: &User,
    before: &PlacementRequest,
    status: &str,
    action: &str,
    reason: Option<&str>,
    at: DateTime<Utc>,
) -> anyhow::Result<()> {
    db::requests::set_status(tx, &before.id, status, reason, at).await?;
    let after = db::requests::get(tx, &before.id)
        .await?
        .ok_or_else(|| anyhow!("request {} is gone", before.id))?;
    db::audit::record(
        tx,
        &actor_of(by, at),
        action,
        "placement_request",
        &before.id,
        Some(before),
        Some(&after),
    )
    .await?;
    Ok(())
}

/// A placement's move through its lifecycle, with its audit entry.
async fn transition(
    tx: &mut Tx,
    by: &User,
    before: &PlacementRow,
    to: &str,
    at: DateTime<Utc>,
) -> anyhow::Result<PlacementRow> {
    db::placements::set_status(tx, &before.id, to, None).await?;
    let after = db::placements::get(tx, &before.id)
        .await?
        .ok_or_else(|| anyhow!("placement {} is gone", before.id))?;
    db::audit::record(
        tx,
        &actor_of(by, at),
        &format!("transition:{to}"),
        "placement",
        &before.id,
        Some(before),
        Some(&after),
    )
    .await?;
    Ok(after)
}

/// (name, email, is a student, interest, school, program, message, status, days ago), oldest first.
type InquiryRow = (
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
const INQUIRIES: &[InquiryRow] = &[
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

/// The public's inquiries, routed as the public form routes them; the office has worked some.
async fn seed_inquiries(tx: &mut Tx, office: &User, now: DateTime<Utc>) -> anyhow::Result<usize> {
    for (name, email, is_student, interest, school, program, message, status, ago) in INQUIRIES {
        let at = now - Duration::days(*ago) - Duration::hours(3);
        let (route, _) = crate::http::api::inquiries::route(*is_student, interest);
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

async fn audit<T: serde::Serialize>(
    tx: &mut Tx,
    actor: &Actor,
    record_type: &str,
    id: &str,
    after: &T,
) -> anyhow::Result<()> {
    db::audit::record(
        tx,
        actor,
        "create",
        record_type,
        id,
        None::<&()>,
        Some(after),
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalog::DISCIPLINES;
    use crate::domain::directory::{DegreeLevel, Setting};

    fn known(code: &str) -> bool {
        DISCIPLINES.iter().any(|d| d.0 == code)
    }

    fn clinical() -> HashSet<&'static str> {
        DISCIPLINES.iter().filter(|d| d.2).map(|d| d.0).collect()
    }

    #[test]
    fn tables_use_the_vocabularies() {
        for d in DEPARTMENTS {
            assert!(Setting::parse(d.2).is_some(), "{}", d.1);
            assert!((2..=8).contains(&d.3), "{}", d.1);
            assert!(d.4.iter().all(|c| known(c)), "{}", d.1);
        }
        for s in SCHOOLS {
            assert!(s.7.iter().all(|c| known(c)), "{}", s.0);
        }
        for p in PROGRAMS {
            assert!(known(p.2), "{}", p.1);
            assert!(DegreeLevel::parse(p.3).is_some(), "{}", p.1);
        }
        for (code, ..) in DISCIPLINES {
            assert!(CREDENTIALS.iter().any(|c| c.0 == *code), "{code}");
            assert!(
                DEPARTMENTS.iter().any(|d| d.4.contains(code)),
                "{code} hosted"
            );
            assert!(PROGRAMS.iter().any(|p| p.2 == *code), "{code} taught");
        }
        for setting in Setting::ALL {
            let word = setting.as_str();
            assert!(DEPARTMENTS.iter().any(|d| d.2 == word), "{word}");
        }
    }

    #[test]
    fn preceptors_cover_every_clinical_discipline_where_it_is_hosted() {
        let slots = preceptor_slots(&clinical());
        assert_eq!(slots.len(), PRECEPTORS);
        for (dept, code) in &slots {
            assert!(DEPARTMENTS[*dept].4.contains(code));
        }
        for code in clinical() {
            assert!(slots.iter().any(|s| s.1 == code), "{code}");
        }
        assert_eq!(slots[0].1, "radiography");
    }

    #[test]
    fn demo_requests_name_programs_and_departments_that_host_them() {
        for a in ASKS {
            let programs: Vec<_> = PROGRAMS.iter().filter(|p| p.1 == a.program).collect();
            assert_eq!(programs.len(), 1, "{}", a.program);
            assert!((1..=3).contains(&a.prefs.len()), "{}", a.program);
            for (site, name) in a.prefs {
                let d = DEPARTMENTS
                    .iter()
                    .find(|d| d.0 == *site && d.1 == *name)
                    .expect("a department");
                assert!(d.4.contains(&programs[0].2), "{name} hosts {}", a.program);
            }
            assert!(a.named as i64 + a.slots > 0, "{}", a.program);
            assert!((6..=12).contains(&a.weeks), "{}", a.program);
            if a.outcome != Outcome::Completed {
                assert!((3..=8).contains(&a.start), "{}", a.program);
            }
        }
        let confirmed = ASKS
            .iter()
            .filter(|a| a.outcome == Outcome::Approved { confirmed: true })
            .count();
        assert_eq!(confirmed, 1);
        assert_eq!(ASKS.iter().filter(|a| a.demo_student).count(), 1);
        assert!(ASKS.iter().any(|a| a.outcome == Outcome::Lapsing));
    }

    #[test]
    fn dates() {
        let d = |s: &str| s.parse::<NaiveDate>().ok();
        let today = NaiveDate::from_ymd_opt(2027, 1, 4).expect("a date");
        assert_eq!(end_of_month_after(today, 1).ok(), d("2027-02-28"));
        assert_eq!(end_of_month_after(today, 11).ok(), d("2027-12-31"));
        assert_eq!(commencement_after(today, 0).ok(), d("2027-05-20"));
        assert_eq!(commencement_before(today).ok(), d("2026-12-18"));
    }
}

//! Every stable error code of the API (API.md), each with its HTTP status: the one place a code's
//! words and status are written. Services and rules name a code by its variant; `http/error.rs`
//! puts `as_str()` into the RFC 9457 problem. Shape after meilisearch's `Code`.
use serde::{Serialize, Serializer};

macro_rules! error_codes {
    ($($variant:ident = $text:literal, $status:literal;)*) => {
        /// A stable snake_case error code (API.md) and the HTTP status it answers with.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ErrorCode { $($variant,)* }

        impl ErrorCode {
            /// Every code, for the documentation and the tests.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// The code as the API writes it, e.g. `"agreement_not_active"`.
            pub fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => $text,)* }
            }

            /// The HTTP status this code answers with on its own: 409 for a clash with the
            /// current state (API.md "Errors"), 422 for input that breaks a rule, and so on.
            pub fn status(self) -> u16 {
                match self { $(ErrorCode::$variant => $status,)* }
            }
        }
    };
}

error_codes! {
    AgreementDoesNotCoverDates = "agreement_does_not_cover_dates", 422;
    AgreementTextChanged = "agreement_text_changed", 409;
    AgreementTextMissing = "agreement_text_missing", 409;
    FinalEvaluationMissing = "final_evaluation_missing", 409;
    HoursNotApproved = "hours_not_approved", 409;
    NotSignedInSystem = "not_signed_in_system", 422;
    AlreadyEnrolled = "already_enrolled", 422;
    AlreadySignedUp = "already_signed_up", 409;
    AlreadyAcknowledged = "already_acknowledged", 409;
    AnswerRequired = "answer_required", 422;
    DuplicateItemKey = "duplicate_item_key", 422;
    EvaluationExists = "evaluation_exists", 409;
    EvaluationNotDue = "evaluation_not_due", 409;
    EvaluationNotSigned = "evaluation_not_signed", 409;
    EvaluationSigned = "evaluation_signed", 409;
    InvalidAnswer = "invalid_answer", 422;
    InvalidTemplate = "invalid_template", 422;
    NoTemplate = "no_template", 409;
    UnknownItem = "unknown_item", 422;
    AgreementDoesNotCoverDiscipline = "agreement_does_not_cover_discipline", 422;
    AgreementNotActive = "agreement_not_active", 422;
    BodyTooLarge = "body_too_large", 413;
    CompletedInFuture = "completed_in_future", 422;
    Conflict = "conflict", 409;
    CourseRequired = "course_required", 422;
    CurrentPasswordWrong = "current_password_wrong", 422;
    DepartmentAtCapacity = "department_at_capacity", 409;
    DepartmentDoesNotHostDiscipline = "department_does_not_host_discipline", 422;
    DepartmentNotAtSite = "department_not_at_site", 422;
    DisciplineRequired = "discipline_required", 422;
    DuplicateInFile = "duplicate_in_file", 422;
    EmailTaken = "email_taken", 422;
    ExpiresBeforeCompletion = "expires_before_completion", 422;
    ExpiryRequired = "expiry_required", 422;
    FacultyEmailTaken = "faculty_email_taken", 422;
    FacultySupervisorRequired = "faculty_supervisor_required", 422;
    FileMissing = "file_missing", 404;
    FileRequired = "file_required", 422;
    FileTooLarge = "file_too_large", 422;
    FileTypeNotAllowed = "file_type_not_allowed", 422;
    Forbidden = "forbidden", 403;
    IdempotencyKeyInUse = "idempotency_key_in_use", 409;
    IdempotencyKeyReused = "idempotency_key_reused", 422;
    InternalError = "internal_error", 500;
    InvalidAppliesTo = "invalid_applies_to", 422;
    InvalidBoolean = "invalid_boolean", 422;
    InvalidCharacters = "invalid_characters", 422;
    InvalidChoice = "invalid_choice", 422;
    InvalidCode = "invalid_code", 422;
    InvalidCourse = "invalid_course", 422;
    InvalidDate = "invalid_date", 422;
    InvalidEmail = "invalid_email", 422;
    InvalidFacultySupervisor = "invalid_faculty_supervisor", 422;
    InvalidId = "invalid_id", 422;
    InvalidJson = "invalid_json", 400;
    InvalidLimit = "invalid_limit", 422;
    InvalidNumber = "invalid_number", 422;
    InvalidPeriod = "invalid_period", 422;
    InvalidShift = "invalid_shift", 422;
    InvalidTimeZone = "invalid_time_zone", 422;
    InvalidTime = "invalid_time", 422;
    InvalidTransition = "invalid_transition", 409;
    InvalidType = "invalid_type", 422;
    InvalidUrl = "invalid_url", 422;
    InvalidValidity = "invalid_validity", 422;
    InvalidYear = "invalid_year", 422;
    InvitationUsed = "invitation_used", 409;
    LinkNotAllowed = "link_not_allowed", 422;
    LinkRequired = "link_required", 422;
    MfaAlreadyEnabled = "mfa_already_enabled", 409;
    MfaCodeInvalid = "mfa_code_invalid", 422;
    MakeUpOutsideWindow = "make_up_outside_window", 422;
    MissingColumn = "missing_column", 422;
    MfaEnrollmentRequired = "mfa_enrollment_required", 403;
    MfaNotEnabled = "mfa_not_enabled", 409;
    MfaNotStarted = "mfa_not_started", 409;
    MfaRequired = "mfa_required", 401;
    MustBePositive = "must_be_positive", 422;
    NoAgreement = "no_agreement", 422;
    NoStudents = "no_students", 422;
    NotCleared = "not_cleared", 409;
    PasswordBreached = "password_breached", 422;
    NotStarted = "not_started", 409;
    NotFound = "not_found", 404;
    NotSatisfiableThisWay = "not_satisfiable_this_way", 422;
    OutOfRange = "out_of_range", 422;
    OutsideRequestPeriod = "outside_request_period", 422;
    PartiallyPlaced = "partially_placed", 422;
    PlacementClosed = "placement_closed", 409;
    NotAnInternship = "not_an_internship", 409;
    ProjectEmpty = "project_empty", 409;
    DeliverableAccepted = "deliverable_accepted", 409;
    DeliverableNotSubmitted = "deliverable_not_submitted", 409;
    TaskAlreadyDone = "task_already_done", 409;
    PlacementRequired = "placement_required", 422;
    PlacementsRequired = "placements_required", 422;
    PreceptorAtCapacity = "preceptor_at_capacity", 409;
    PreceptorDisciplineMismatch = "preceptor_discipline_mismatch", 422;
    PreceptorLicenseExpired = "preceptor_license_expired", 422;
    PreceptorNotInDepartment = "preceptor_not_in_department", 422;
    PreceptorOnLeave = "preceptor_on_leave", 422;
    PreceptorRequired = "preceptor_required", 422;
    PreviewExpired = "preview_expired", 422;
    ProgramNotAccredited = "program_not_accredited", 422;
    ProgramNotAtSchool = "program_not_at_school", 422;
    ReadOnly = "read_only", 422;
    ServerBusy = "server_busy", 503;
    CannotDisableSelf = "cannot_disable_self", 409;
    ReasonRequired = "reason_required", 422;
    Refused = "refused", 409;
    RequestChanged = "request_changed", 409;
    Required = "required", 422;
    RunNotFinished = "run_not_finished", 409;
    ShiftCancelled = "shift_cancelled", 409;
    ShiftInPast = "shift_in_past", 409;
    ShiftOutsidePlacement = "shift_outside_placement", 422;
    ShiftOverlaps = "shift_overlaps", 409;
    ShiftTooLong = "shift_too_long", 422;
    SlotsMismatch = "slots_mismatch", 422;
    StudentAlreadyNamed = "student_already_named", 409;
    StudentDoubleBooked = "student_double_booked", 409;
    StudentMissingFromDecision = "student_missing_from_decision", 422;
    StudentNotEnrolled = "student_not_enrolled", 422;
    StudentNotInProgram = "student_not_in_program", 422;
    StudentNotInRequest = "student_not_in_request", 422;
    StudentNotNamed = "student_not_named", 409;
    StudentPlacedTwice = "student_placed_twice", 422;
    TermTooLong = "term_too_long", 422;
    TooLong = "too_long", 422;
    TooManyAttempts = "too_many_attempts", 429;
    TooManyPreferences = "too_many_preferences", 422;
    Unauthenticated = "unauthenticated", 401;
    UnknownColumn = "unknown_column", 422;
    UnknownDepartment = "unknown_department", 422;
    UnknownDiscipline = "unknown_discipline", 422;
    UnknownField = "unknown_field", 422;
    UnknownPlacement = "unknown_placement", 422;
    UnknownPreceptor = "unknown_preceptor", 422;
    UnknownProgram = "unknown_program", 422;
    UnknownReference = "unknown_reference", 422;
    UnknownRequirement = "unknown_requirement", 422;
    UnknownSchool = "unknown_school", 422;
    UnknownSite = "unknown_site", 422;
    UnknownSiteMentor = "unknown_site_mentor", 422;
    UnknownStaff = "unknown_staff", 422;
    UnknownStudent = "unknown_student", 422;
    UnreadableFile = "unreadable_file", 422;
    WeakPassword = "weak_password", 422;
    // Attendance and hours (issue 15 point 4, `domain/hours.rs`).
    ClockOutBeforeClockIn = "clock_out_before_clock_in", 422;
    DateInFuture = "date_in_future", 422;
    DateOutsidePlacement = "date_outside_placement", 422;
    EntryExists = "entry_exists", 409;
    EntryLocked = "entry_locked", 409;
    HoursAndClock = "hours_and_clock", 422;
    HoursOutOfRange = "hours_out_of_range", 422;
    NotApplicable = "not_applicable", 422;
    PlacementNotActive = "placement_not_active", 409;
    UnknownTimeEntry = "unknown_time_entry", 422;
    // Letters (issue 17 part 3, `domain/letters.rs`).
    UnknownLetterField = "unknown_letter_field", 422;
}

impl ErrorCode {
    /// The eligibility codes about a named student (DOMAIN.md rule 1), which naming students
    /// on an open request re-checks.
    pub fn is_about_a_student(self) -> bool {
        matches!(
            self,
            ErrorCode::StudentNotEnrolled | ErrorCode::StudentNotInProgram
        )
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_snake_case_words_with_a_known_status() {
        let mut seen = std::collections::HashSet::new();
        for c in ErrorCode::ALL {
            let s = c.as_str();
            assert!(seen.insert(s), "{s} twice");
            assert!(
                s.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_'),
                "{s}"
            );
            assert!(
                [400, 401, 403, 404, 409, 413, 422, 429, 500, 503].contains(&c.status()),
                "{s}"
            );
        }
    }

    #[test]
    fn a_clash_with_the_current_state_is_409_and_bad_input_422() {
        assert_eq!(ErrorCode::InvalidTransition.status(), 409);
        assert_eq!(ErrorCode::Required.status(), 422);
        assert_eq!(ErrorCode::NotFound.status(), 404);
        assert_eq!(
            serde_json::to_string(&ErrorCode::NotFound).ok().as_deref(),
            Some("\"not_found\"")
        );
    }

    /// Naming students re-checks exactly the codes about a student; a code prints as its word.
    #[test]
    fn codes_about_a_student_and_their_words() {
        assert!(ErrorCode::StudentNotEnrolled.is_about_a_student());
        assert!(ErrorCode::StudentNotInProgram.is_about_a_student());
        assert!(!ErrorCode::NoAgreement.is_about_a_student());
        assert!(!ErrorCode::NotFound.is_about_a_student());
        assert_eq!(format!("{}", ErrorCode::NotFound), "not_found");
    }
}

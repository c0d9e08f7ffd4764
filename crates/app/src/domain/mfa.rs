//! Two-step sign-in (issue 13 point 4): the rules of time-based one-time passwords (RFC 6238, on
//! HOTP, RFC 4226), of one-time recovery codes, and of who must have a second step. Pure: the
//! secret, the code and the instant come in; whether to accept comes out.
use super::Role;
use totp_rs::{Algorithm, Builder, Secret, Totp};

/// Digits of a code (RFC 4226 section 5.3: at least 6). What every authenticator app shows.
pub const CODE_DIGITS: usize = 6;

/// Seconds in a time step (RFC 6238 section 5.2 recommends 30).
pub const STEP_SECONDS: u64 = 30;

/// Steps either side of now that are accepted (RFC 6238 section 5.2: "at most one time step"
/// of network delay and clock drift is the recommended allowance).
pub const SKEW_STEPS: u16 = 1;

/// Bytes of a new shared secret: 160 bits, as RFC 4226 section 4 recommends (R6).
pub const SECRET_BYTES: usize = 20;

/// Recovery codes handed out at enrolment, each good for one sign-in.
pub const RECOVERY_CODE_COUNT: usize = 10;

/// Characters of a recovery code: 10 of a 32-letter alphabet, 50 random bits each.
pub const RECOVERY_CODE_LENGTH: usize = 10;

/// The alphabet of recovery codes: lower-case RFC 4648 base32 (no 0/1/8/9 to mistake for o/l/b/g).
const RECOVERY_ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";

/// How long the second step of a sign-in may wait after the password was accepted.
pub const CHALLENGE_SECONDS: i64 = 5 * 60;

/// Whether `role` must have a second step before doing anything else: the office's own roles
/// (admin, coordinator) when the admin's `require_mfa_for_office` setting is on. Everyone else
/// may enrol but need not.
pub fn required_for(role: Role, require_mfa_for_office: bool) -> bool {
    require_mfa_for_office && matches!(role, Role::Admin | Role::Coordinator)
}

/// What a person typed as their second step, once spaces and dashes are gone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SecondFactor {
    /// Six digits from the authenticator.
    Totp(String),
    /// One of the recovery codes, lower-cased, without its dash.
    Recovery(String),
}

impl SecondFactor {
    /// `None` when it is neither six digits nor a recovery code's ten letters and digits.
    pub fn parse(raw: &str) -> Option<SecondFactor> {
        let s: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect::<String>()
            .to_ascii_lowercase();
        if s.len() == CODE_DIGITS && s.bytes().all(|b| b.is_ascii_digit()) {
            Some(SecondFactor::Totp(s))
        } else if s.len() == RECOVERY_CODE_LENGTH
            && s.bytes().all(|b| RECOVERY_ALPHABET.contains(&b))
        {
            Some(SecondFactor::Recovery(s))
        } else {
            None
        }
    }
}

/// A recovery code from `RECOVERY_CODE_LENGTH` random bytes (each byte's low 5 bits pick a
/// letter: 256 is a multiple of 32, so every letter is equally likely), as people read it:
/// `abcde-fgh23`. `SecondFactor::parse` takes it back with or without the dash.
pub fn recovery_code_from(random: &[u8; RECOVERY_CODE_LENGTH]) -> String {
    let letters: String = random
        .iter()
        .map(|b| RECOVERY_ALPHABET[(b & 31) as usize] as char)
        .collect();
    format!("{}-{}", &letters[..5], &letters[5..])
}

/// The authenticator for a secret (base32, as stored): HMAC-SHA-1, 6 digits, 30 s steps, ±1
/// step — the parameters every authenticator app assumes from an `otpauth://` URL. `account`
/// and `issuer` only label the entry in the app (a `:` in them is replaced, as the URL format
/// reserves it). Errors: the secret is not base32 or shorter than 128 bits.
pub fn authenticator(secret_base32: &str, account: &str, issuer: &str) -> Result<Totp, String> {
    let secret = Secret::try_from_base32(secret_base32)
        .map_err(|_| "the stored secret is not base32".to_string())?;
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(CODE_DIGITS as u8)
        .with_skew(SKEW_STEPS)
        .with_step_duration(STEP_SECONDS)
        .with_secret(secret)
        .with_account_name(account.replace(':', " "))
        .with_issuer(Some(issuer.replace(':', " ")))
        .build()
        .map_err(|e| format!("the secret makes no authenticator: {e}"))
}

/// A new secret from `SECRET_BYTES` random bytes, in base32 (what the person may type in).
pub fn secret_from(random: &[u8; SECRET_BYTES]) -> String {
    Secret::from(random.to_vec()).to_base32()
}

/// What a code is worth at an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeCheck {
    /// Right, for this time step; remember it as the last one used.
    Accepted(u64),
    /// Right, but its step (or a later one) was already used: refused (RFC 6238 section 5.2).
    Reused,
    /// Not the code of any step in the window.
    Wrong,
}

/// Checks a six-digit `code` at `unix_seconds` within ±[`SKEW_STEPS`], refusing a step at or
/// before `last_step` (the last one accepted), so a code seen over a shoulder or in a log cannot
/// be played again.
pub fn check_code(totp: &Totp, code: &str, unix_seconds: u64, last_step: Option<u64>) -> CodeCheck {
    match totp.check(code, unix_seconds) {
        None => CodeCheck::Wrong,
        Some(step) if last_step.is_some_and(|last| step <= last) => CodeCheck::Reused,
        Some(step) => CodeCheck::Accepted(step),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn totp() -> Totp {
        authenticator(
            &secret_from(&[7; SECRET_BYTES]),
            "a@b.example",
            "Office: North",
        )
        .expect("valid secret")
    }

    /// RFC 6238 Appendix B: the SHA-1 test vector at T = 59 s is 94287082 (8 digits); its
    /// last six are what a six-digit authenticator shows.
    #[test]
    fn the_rfc_6238_test_vector() {
        let secret = secret_from(b"12345678901234567890");
        let t = authenticator(&secret, "x", "y").expect("valid");
        assert_eq!(t.generate(59).to_string(), "287082");
        assert_eq!(t.generate(1_111_111_109).to_string(), "081804");
    }

    #[test]
    fn a_code_is_good_one_step_either_side_and_only_once() {
        let t = totp();
        let now = 1_800_000_000u64;
        let code = t.generate(now).to_string();
        let step = now / STEP_SECONDS;
        assert_eq!(check_code(&t, &code, now, None), CodeCheck::Accepted(step));
        assert_eq!(
            check_code(&t, &code, now + STEP_SECONDS, None),
            CodeCheck::Accepted(step)
        );
        assert_eq!(
            check_code(&t, &code, now + 2 * STEP_SECONDS, None),
            CodeCheck::Wrong
        );
        assert_eq!(check_code(&t, &code, now, Some(step)), CodeCheck::Reused);
        let earlier = t.generate(now - STEP_SECONDS).to_string();
        assert_eq!(check_code(&t, &earlier, now, Some(step)), CodeCheck::Reused);
        let next = t.generate(now + STEP_SECONDS).to_string();
        assert_eq!(
            check_code(&t, &next, now + STEP_SECONDS, Some(step)),
            CodeCheck::Accepted(step + 1)
        );
    }

    #[test]
    fn what_a_person_types_is_read_as_a_code_or_a_recovery_code() {
        assert_eq!(
            SecondFactor::parse(" 123 456 "),
            Some(SecondFactor::Totp("123456".into()))
        );
        assert_eq!(
            SecondFactor::parse("ABCDE-FGH23"),
            Some(SecondFactor::Recovery("abcdefgh23".into()))
        );
        assert_eq!(SecondFactor::parse("12345"), None);
        assert_eq!(SecondFactor::parse("abcde-fgh21"), None);
        assert_eq!(SecondFactor::parse(""), None);
    }

    #[test]
    fn recovery_codes_read_back() {
        let code = recovery_code_from(&[0, 1, 2, 3, 4, 31, 32, 33, 255, 100]);
        assert_eq!(code, "abcde-7ab7e");
        assert!(matches!(
            SecondFactor::parse(&code),
            Some(SecondFactor::Recovery(_))
        ));
    }

    #[test]
    fn only_the_offices_roles_are_required_and_only_by_the_setting() {
        assert!(required_for(Role::Admin, true));
        assert!(required_for(Role::Coordinator, true));
        assert!(!required_for(Role::Admin, false));
        for r in [
            Role::SchoolCoordinator,
            Role::Student,
            Role::Preceptor,
            Role::Faculty,
            Role::DepartmentManager,
        ] {
            assert!(!required_for(r, true), "{r:?}");
        }
    }
}

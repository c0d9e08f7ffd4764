use std::fmt;

/// An email address, trimmed and lower-cased. Deliberately modest: one `@`, a non-empty local
/// part, a dotted domain, no spaces; the mail server is the final judge.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(s: &str) -> Result<Email, &'static str> {
        let s = s.trim().to_lowercase();
        if s.len() > 254 {
            return Err("is longer than 254 characters");
        }
        let Some((local, domain)) = s.split_once('@') else {
            return Err("is not an email address");
        };
        let ok = !local.is_empty()
            && !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !s
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>' || c == ',');
        if ok {
            Ok(Email(s))
        } else {
            Err("is not an email address")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_normalises() {
        assert_eq!(
            Email::parse("  Ana.Lopez@Example.EDU ").unwrap().as_str(),
            "ana.lopez@example.edu"
        );
    }

    #[test]
    fn refuses_malformed() {
        for bad in [
            "",
            "plain",
            "@example.org",
            "a@b",
            "a@@b.org",
            "a b@c.org",
            "a@.org",
            "a@org.",
            "<a@b.org>",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in ".*") { let _ = Email::parse(&s); }
    }
}

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
        /// Any string: parsing never panics; what it accepts has one `@`, a dotted domain, no
        /// whitespace, is already normalised (parsing it again gives itself) and fits 254.
        fn accepts_only_normalised_addresses(s in ".*") {
            if let Ok(email) = Email::parse(&s) {
                let a = email.as_str();
                proptest::prop_assert_eq!(a.matches('@').count(), 1);
                proptest::prop_assert!(a.len() <= 254);
                proptest::prop_assert!(!a.chars().any(char::is_whitespace));
                proptest::prop_assert_eq!(a, a.to_lowercase());
                proptest::prop_assert_eq!(Email::parse(a), Ok(email.clone()));
            }
        }

        /// A well-formed address in any case and padding is accepted as its lower-cased self.
        fn accepts_every_plain_address(local in "[A-Za-z0-9._+-]{1,20}", host in "[A-Za-z0-9-]{1,20}", tld in "[A-Za-z]{2,6}", pad in " {0,3}") {
            let raw = format!("{pad}{local}@{host}.{tld}{pad}");
            let email = Email::parse(&raw).expect("a plain address");
            proptest::prop_assert_eq!(email.as_str(), format!("{local}@{host}.{tld}").to_lowercase());
        }
    }

    /// 254 characters is the longest address; control characters and list punctuation are
    /// refused wherever they are; an address prints as itself.
    #[test]
    fn length_and_characters_at_the_edges() {
        let domain = "@example.org";
        let fits = format!("{}{domain}", "a".repeat(254 - domain.len()));
        assert_eq!(Email::parse(&fits).map(|e| e.as_str().len()), Ok(254));
        let over = format!("{}{domain}", "a".repeat(255 - domain.len()));
        assert!(Email::parse(&over).is_err());
        for bad in [
            "a\u{7}b@example.org",
            "a,b@example.org",
            "ab>@example.org",
            "a<b@example.org",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
        let email = Email::parse("Ana@North.edu").expect("valid");
        assert_eq!(format!("<{email}>"), "<ana@north.edu>");
    }
}

//! The office's settings (issue 12 point 8, API.md `GET/PATCH /api/v1/settings`): the rules for
//! the two values that are more than text — the time zone "today" is reckoned in, and the
//! public base URL every e-mailed link starts with.
use chrono_tz::Tz;
use std::fmt;

/// What a fresh installation calls the organisation until the admin names it: the office's own
/// name, as the public page and the e-mails read it.
pub const DEFAULT_ORGANISATION_NAME: &str = "Healthcare Education Office";

/// The time zone of a fresh installation (API.md: "default `UTC`").
pub const DEFAULT_TIME_ZONE: &str = "UTC";

/// The longest public base URL accepted, in characters (an e-mailed link stays readable).
pub const MAX_URL_LENGTH: usize = 200;

/// An IANA time zone name (`Europe/Paris`, `America/Los_Angeles`, `UTC`), exactly as the tz
/// database spells it. Errors: the words for people when it is not one.
pub fn parse_time_zone(name: &str) -> Result<Tz, String> {
    let name = name.trim();
    name.parse::<Tz>()
        .map_err(|_| format!("{name:?} is not an IANA time zone name (such as Europe/London)"))
}

/// Every IANA time zone name the server knows (chrono-tz's copy of the tz database), sorted:
/// the choices of the settings page.
pub fn time_zone_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = chrono_tz::TZ_VARIANTS.iter().map(|z| z.name()).collect();
    names.sort_unstable();
    names
}

/// The start of every link an e-mail carries: an absolute `http` or `https` URL with a host,
/// an optional port and path, and no user name, query or fragment. Kept without a trailing
/// `/`, scheme and host in lower case, so `format!("{base}{path}")` with a path that starts with
/// `/` is the link (`https://placements.example.org/invitations/…`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicBaseUrl(String);

impl PublicBaseUrl {
    /// Errors: the words for people, each saying what is wrong.
    pub fn parse(raw: &str) -> Result<PublicBaseUrl, &'static str> {
        let s = raw.trim();
        if s.chars().count() > MAX_URL_LENGTH {
            return Err("is longer than 200 characters");
        }
        if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err("may not contain spaces or control characters");
        }
        let lower = s.to_ascii_lowercase();
        let (scheme, rest) = if let Some(r) = lower.strip_prefix("https://") {
            ("https", &s[s.len() - r.len()..])
        } else if let Some(r) = lower.strip_prefix("http://") {
            ("http", &s[s.len() - r.len()..])
        } else {
            return Err("must be an absolute http:// or https:// address");
        };
        if rest.contains(['?', '#']) {
            return Err("may not have a query (?) or a fragment (#)");
        }
        let (authority, path) = match rest.find('/') {
            Some(i) => rest.split_at(i),
            None => (rest, ""),
        };
        if authority.contains('@') {
            return Err("may not carry a user name or password");
        }
        let host = host_of(authority)?;
        let path = path.trim_end_matches('/');
        let authority = authority.replacen(host, &host.to_ascii_lowercase(), 1);
        Ok(PublicBaseUrl(format!("{scheme}://{authority}{path}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The host of `host[:port]` (a name, an IPv4 address or a bracketed IPv6 address), checked.
fn host_of(authority: &str) -> Result<&str, &'static str> {
    let (host, port) = if authority.starts_with('[') {
        match authority.find(']') {
            Some(end) => {
                let (h, p) = authority.split_at(end + 1);
                (h, p.strip_prefix(':'))
            }
            None => return Err("has an unclosed [ in its host"),
        }
    } else {
        match authority.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if let Some(p) = port
        && !(p.parse::<u16>().is_ok_and(|n| n > 0) && p.chars().all(|c| c.is_ascii_digit()))
    {
        return Err("has a port that is not a number from 1 to 65535");
    }
    let ok_name = |h: &str| {
        !h.is_empty()
            && !h.starts_with(['.', '-'])
            && !h.ends_with('-')
            && !h.contains("..")
            && h.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
    };
    let ok_v6 = |h: &str| {
        h.strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .is_some_and(|inner| inner.parse::<std::net::Ipv6Addr>().is_ok())
    };
    if ok_name(host) || ok_v6(host) {
        Ok(host)
    } else {
        Err("must name a host (such as https://placements.example.org)")
    }
}

impl fmt::Display for PublicBaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_zones_are_iana_names() {
        assert_eq!(
            parse_time_zone("America/Los_Angeles"),
            Ok(chrono_tz::America::Los_Angeles)
        );
        assert_eq!(parse_time_zone(" UTC "), Ok(Tz::UTC));
        for bad in ["", "PST8", "Mars/Olympus", "america/los angeles", "+02:00"] {
            assert!(parse_time_zone(bad).is_err(), "{bad:?}");
        }
        let names = time_zone_names();
        assert!(names.contains(&"Europe/Paris") && names.contains(&"UTC"));
        assert!(names.windows(2).all(|w| w[0] < w[1]));
        assert!(names.iter().all(|n| parse_time_zone(n).is_ok()));
    }

    #[test]
    fn a_base_url_is_absolute_http_without_query_or_fragment() {
        for (raw, kept) in [
            (
                "https://placements.example.org",
                "https://placements.example.org",
            ),
            (
                " HTTPS://Placements.Example.ORG/practicum/ ",
                "https://placements.example.org/practicum",
            ),
            ("http://127.0.0.1:8080/", "http://127.0.0.1:8080"),
            ("http://[::1]:8080", "http://[::1]:8080"),
            ("https://intranet/Edu", "https://intranet/Edu"),
        ] {
            assert_eq!(
                PublicBaseUrl::parse(raw).map(|u| u.to_string()).as_deref(),
                Ok(kept),
                "{raw}"
            );
        }
        for bad in [
            "",
            "placements.example.org",
            "ftp://example.org",
            "https://",
            "https:///path",
            "https://example.org?x=1",
            "https://example.org/a#top",
            "https://user:pw@example.org",
            "https://example.org:0",
            "https://example.org:99999",
            "https://example.org:80a",
            "https://exa mple.org",
            "https://exa_mple.org",
            "https://[::1",
            "javascript:alert(1)",
        ] {
            assert!(PublicBaseUrl::parse(bad).is_err(), "{bad:?}");
        }
    }
}

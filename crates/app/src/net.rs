//! Who is on the other end of a connection: trusted reverse proxies (`--trusted-proxy`) and the
//! client address taken from `X-Forwarded-For` only when the socket peer is one of them.
//! Pure: no I/O. Sources: OWASP ASVS 5.0 V6.3 / V2.4 (anti-automation keyed on the real client),
//! MDN "X-Forwarded-For" (security and privacy concerns: read it right to left, trust only the
//! entries your own proxies added).
use std::net::IpAddr;

/// One trusted proxy: an address, or a network in CIDR form (`10.0.0.0/8`, `fd00::/8`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpRange {
    network: IpAddr,
    prefix: u8,
}

impl IpRange {
    /// Parses `IP` or `IP/PREFIX`. Errors (in words) on a malformed address or a prefix longer
    /// than the address (32 bits for IPv4, 128 for IPv6).
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let (ip, prefix) = match s.split_once('/') {
            Some((ip, p)) => (ip, Some(p)),
            None => (s, None),
        };
        let network: IpAddr = ip
            .parse()
            .map_err(|_| format!("{s:?} is not an IP address or CIDR network"))?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("{s:?}: the prefix must be 0 to {max}"))?,
        };
        Ok(IpRange { network, prefix })
    }

    /// Whether `ip` lies in the range. An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) counts
    /// as its IPv4 address.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        match (self.network, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                masked(u32::from(n) as u128, 32, self.prefix)
                    == masked(u32::from(a) as u128, 32, self.prefix)
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                masked(u128::from(n), 128, self.prefix) == masked(u128::from(a), 128, self.prefix)
            }
            _ => false,
        }
    }
}

fn masked(bits: u128, width: u8, prefix: u8) -> u128 {
    if prefix == 0 {
        0
    } else {
        bits >> (width - prefix)
    }
}

fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

/// The client's address: the socket `peer` unless it is a trusted proxy; then the right-most
/// `X-Forwarded-For` entry that is not itself a trusted proxy (each proxy appends the address
/// it saw, so entries left of the first untrusted one may be forged by the client).
/// `forwarded_for` is every `X-Forwarded-For` header value in order. A malformed entry stops
/// the walk at the last address known good.
pub fn client_address(peer: IpAddr, forwarded_for: &[&str], trusted: &[IpRange]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|r| r.contains(ip));
    let mut client = canonical(peer);
    if !is_trusted(client) {
        return client;
    }
    let entries = forwarded_for
        .iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .collect::<Vec<_>>();
    for entry in entries.into_iter().rev() {
        let Ok(ip) = entry.parse::<IpAddr>() else {
            break;
        };
        client = canonical(ip);
        if !is_trusted(client) {
            break;
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn ranges_parse_and_contain() {
        let r = IpRange::parse("10.1.0.0/16").unwrap();
        assert!(r.contains(ip("10.1.200.3")));
        assert!(!r.contains(ip("10.2.0.1")));
        assert!(r.contains(ip("::ffff:10.1.0.9")));
        let one = IpRange::parse("127.0.0.1").unwrap();
        assert!(one.contains(ip("127.0.0.1")) && !one.contains(ip("127.0.0.2")));
        assert!(IpRange::parse("0.0.0.0/0").unwrap().contains(ip("8.8.8.8")));
        assert!(IpRange::parse("fd00::/8").unwrap().contains(ip("fd12::1")));
        for bad in ["", "10.0.0.0/33", "nonsense", "10.0.0/8", "::/129"] {
            assert!(IpRange::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn forwarded_for_is_read_only_from_a_trusted_peer() {
        let proxies = [IpRange::parse("10.0.0.0/8").unwrap()];
        // Untrusted peer: its header is ignored.
        assert_eq!(
            client_address(ip("203.0.113.9"), &["1.2.3.4"], &proxies),
            ip("203.0.113.9")
        );
        // Trusted peer: the right-most untrusted entry; a forged left part is skipped.
        assert_eq!(
            client_address(
                ip("10.0.0.2"),
                &["6.6.6.6, 198.51.100.7, 10.0.0.3"],
                &proxies
            ),
            ip("198.51.100.7")
        );
        // Several header lines read as one list.
        assert_eq!(
            client_address(ip("10.0.0.2"), &["6.6.6.6", "198.51.100.7"], &proxies),
            ip("198.51.100.7")
        );
        // No header, or garbage: the proxy itself (or the last good entry).
        assert_eq!(
            client_address(ip("10.0.0.2"), &[], &proxies),
            ip("10.0.0.2")
        );
        assert_eq!(
            client_address(ip("10.0.0.2"), &["junk, 10.0.0.4"], &proxies),
            ip("10.0.0.4")
        );
        // No trusted proxies configured: always the peer.
        assert_eq!(
            client_address(ip("10.0.0.2"), &["1.2.3.4"], &[]),
            ip("10.0.0.2")
        );
    }
}

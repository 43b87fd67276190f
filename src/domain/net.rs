//! Who is asking: the client's address behind trusted reverse proxies, and the key its limits
//! count under.

use std::net::{IpAddr, Ipv6Addr};

/// Which `X-Forwarded-For` entries come from proxies we trust.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum TrustProxy {
    /// The header is ignored; the client is the TCP peer.
    #[default]
    Off,
    /// This many proxies in front of the server each appended the address they saw.
    Hops(usize),
    /// Proxies are the peers and forwarded addresses within these networks.
    Networks(Vec<ipnet::IpNet>),
}

impl TrustProxy {
    /// `off`/`false`/`0`, a number of hops (`on`/`true` mean one), or a comma-separated list of
    /// networks (`10.0.0.0/8,::1/128`).
    pub fn parse(value: &str) -> Result<TrustProxy, String> {
        let value = value.trim();
        match value.to_ascii_lowercase().as_str() {
            "" | "off" | "false" | "no" | "0" => return Ok(TrustProxy::Off),
            "on" | "true" | "yes" => return Ok(TrustProxy::Hops(1)),
            _ => {}
        }
        if let Ok(hops) = value.parse::<usize>() {
            return Ok(TrustProxy::Hops(hops));
        }
        value
            .split(',')
            .map(|part| {
                let part = part.trim();
                part.parse::<ipnet::IpNet>()
                    .or_else(|_| part.parse::<IpAddr>().map(ipnet::IpNet::from))
                    .map_err(|_| {
                        format!(
                            "--trust-proxy `{part}` is neither off, a number of proxies nor a network such as 10.0.0.0/8"
                        )
                    })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(TrustProxy::Networks)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        match self {
            TrustProxy::Networks(networks) => networks.iter().any(|n| n.contains(&canonical(ip))),
            _ => false,
        }
    }
}

/// The client's address: the TCP peer, or with trusted proxies the right-most forwarded address
/// that no trusted proxy added. The left part of `X-Forwarded-For` is whatever the client wrote,
/// so it is never taken; an unreadable entry where the client should be falls back to the peer.
pub fn client_ip(peer: IpAddr, forwarded_for: &[&str], trust: &TrustProxy) -> IpAddr {
    let chain = || {
        forwarded_for
            .iter()
            .flat_map(|header| header.split(','))
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .collect::<Vec<_>>()
    };
    // Some proxies write a port (`1.2.3.4:5678`, `[2001:db8::1]:80`) or brackets.
    let parsed = |entry: &str| {
        entry
            .parse::<IpAddr>()
            .or_else(|_| entry.parse::<std::net::SocketAddr>().map(|a| a.ip()))
            .or_else(|_| entry.trim_start_matches('[').trim_end_matches(']').parse())
            .ok()
            .map(canonical)
    };
    match trust {
        TrustProxy::Off | TrustProxy::Hops(0) => canonical(peer),
        TrustProxy::Hops(hops) => {
            // The nearest proxy is the peer; each of the `hops` proxies appended one entry.
            let chain = chain();
            chain
                .len()
                .checked_sub(*hops)
                .and_then(|i| parsed(chain[i]))
                .unwrap_or(canonical(peer))
        }
        TrustProxy::Networks(_) => {
            if !trust.trusts(peer) {
                return canonical(peer);
            }
            let mut client = canonical(peer);
            for entry in chain().into_iter().rev() {
                match parsed(entry) {
                    Some(ip) if trust.trusts(ip) => client = ip,
                    Some(ip) => return ip,
                    None => return client,
                }
            }
            client
        }
    }
}

/// IPv4-mapped IPv6 addresses are the IPv4 address they carry.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The key per-address limits count under: an IPv4 address, or an IPv6 client's /64 (one
/// household or phone gets a whole /64, so single addresses would be free for the asking).
pub fn limit_key(ip: IpAddr) -> String {
    match canonical(ip) {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{}/64", Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn without_trust_the_peer_is_the_client() {
        let peer = ip("203.0.113.9");
        assert_eq!(client_ip(peer, &["1.2.3.4"], &TrustProxy::Off), peer);
    }

    #[test]
    fn hops_take_the_entry_the_outermost_trusted_proxy_added() {
        let peer = ip("127.0.0.1");
        // The client wrote "6.6.6.6"; nginx appended the address it saw.
        let header = ["6.6.6.6, 198.51.100.7"];
        assert_eq!(
            client_ip(peer, &header, &TrustProxy::Hops(1)),
            ip("198.51.100.7")
        );
        let two = ["6.6.6.6, 198.51.100.7, 10.0.0.2"];
        assert_eq!(
            client_ip(peer, &two, &TrustProxy::Hops(2)),
            ip("198.51.100.7")
        );
        assert_eq!(
            client_ip(peer, &[], &TrustProxy::Hops(1)),
            peer,
            "no header"
        );
        assert_eq!(client_ip(peer, &["junk"], &TrustProxy::Hops(1)), peer);
        for (written, client) in [
            ("198.51.100.7:5678", "198.51.100.7"),
            ("[2001:db8::7]", "2001:db8::7"),
            ("[2001:db8::7]:443", "2001:db8::7"),
        ] {
            assert_eq!(
                client_ip(peer, &[written], &TrustProxy::Hops(1)),
                ip(client)
            );
        }
        // Several header lines count as one list.
        assert_eq!(
            client_ip(peer, &["6.6.6.6", "198.51.100.7"], &TrustProxy::Hops(1)),
            ip("198.51.100.7")
        );
    }

    #[test]
    fn networks_skip_trusted_proxies_from_the_right() {
        let trust = TrustProxy::parse("10.0.0.0/8, 127.0.0.1").unwrap();
        let header = ["6.6.6.6, 198.51.100.7, 10.1.2.3"];
        assert_eq!(
            client_ip(ip("127.0.0.1"), &header, &trust),
            ip("198.51.100.7")
        );
        assert_eq!(
            client_ip(ip("203.0.113.1"), &header, &trust),
            ip("203.0.113.1"),
            "an untrusted peer's header is ignored"
        );
        assert_eq!(
            client_ip(ip("::ffff:127.0.0.1"), &["10.0.0.5"], &trust),
            ip("10.0.0.5")
        );
    }

    #[test]
    fn parses_the_setting() {
        assert_eq!(TrustProxy::parse("off"), Ok(TrustProxy::Off));
        assert_eq!(TrustProxy::parse("true"), Ok(TrustProxy::Hops(1)));
        assert_eq!(TrustProxy::parse("2"), Ok(TrustProxy::Hops(2)));
        assert!(
            matches!(TrustProxy::parse("10.0.0.0/8"), Ok(TrustProxy::Networks(n)) if n.len() == 1)
        );
        assert!(TrustProxy::parse("nonsense").is_err());
    }

    #[test]
    fn ipv6_clients_share_their_64() {
        assert_eq!(limit_key(ip("2001:db8:1:2:aaaa::1")), "2001:db8:1:2::/64");
        assert_eq!(
            limit_key(ip("2001:db8:1:2:ffff::9")),
            limit_key(ip("2001:db8:1:2::1"))
        );
        assert_ne!(
            limit_key(ip("2001:db8:1:3::1")),
            limit_key(ip("2001:db8:1:2::1"))
        );
        assert_eq!(limit_key(ip("::ffff:192.0.2.1")), "192.0.2.1");
        assert_eq!(limit_key(ip("192.0.2.1")), "192.0.2.1");
    }

    proptest! {
        #[test]
        fn a_client_cannot_choose_its_address_behind_one_proxy(
            forged in proptest::collection::vec("[0-9a-f:.,x ]{0,20}", 0..5),
            real in any::<[u8; 4]>(),
        ) {
            let real = IpAddr::from(real);
            let mut header = forged.join(",");
            header.push_str(&format!(",{real}"));
            prop_assert_eq!(
                client_ip(ip("127.0.0.1"), &[header.as_str()], &TrustProxy::Hops(1)),
                canonical(real)
            );
        }
    }
}

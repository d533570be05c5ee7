//! Who is asking: the client's address for the per-address limits (sign-in
//! attempts, new visitors). It is the TCP peer — unless the peer is one of the
//! operator's trusted proxies (`KEFU_TRUSTED_PROXIES`, loopback by default),
//! then the `X-Forwarded-For` entry the proxies vouch for: walking the list
//! from the right, the first address that is not itself a trusted proxy.
//! Entries left of that one are whatever the client claimed and are ignored,
//! so a client cannot pick its own address by sending the header.

use crate::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use ipnet::IpNet;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

/// The networks whose `X-Forwarded-For` is believed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl Default for TrustedProxies {
    /// Loopback: a proxy on the same machine (nginx beside the server).
    fn default() -> Self {
        TrustedProxies::from_str(DEFAULT_TRUSTED_PROXIES).expect("the default parses")
    }
}

/// Default of `KEFU_TRUSTED_PROXIES`.
pub const DEFAULT_TRUSTED_PROXIES: &str = "127.0.0.0/8,::1/128";

impl FromStr for TrustedProxies {
    type Err = String;

    /// Comma-separated networks (`10.0.0.0/8`) or addresses (`10.1.2.3`);
    /// `none` trusts no proxy.
    fn from_str(s: &str) -> Result<Self, String> {
        if s.trim() == "none" {
            return Ok(TrustedProxies(Vec::new()));
        }
        s.split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(|part| {
                IpNet::from_str(part)
                    .or_else(|_| IpAddr::from_str(part).map(IpNet::from))
                    .map_err(|_| format!("`{part}` is not an address or a network"))
            })
            .collect::<Result<_, _>>()
            .map(TrustedProxies)
    }
}

impl TrustedProxies {
    fn trusts(&self, address: IpAddr) -> bool {
        let address = canonical(address);
        self.0.iter().any(|net| net.contains(&address))
    }

    /// The client's address behind `peer` given the request's headers.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusts(peer) {
            return canonical(peer);
        }
        let hops = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect::<Vec<_>>();
        for hop in hops.iter().rev() {
            match IpAddr::from_str(hop) {
                Ok(address) if self.trusts(address) => continue,
                Ok(address) => return canonical(address),
                // Garbage from here on was not written by a trusted proxy.
                Err(_) => break,
            }
        }
        canonical(peer)
    }
}

/// IPv4-mapped IPv6 addresses (`::ffff:1.2.3.4`) as the IPv4 address.
fn canonical(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

/// The client's address, as an extractor. `None` without a TCP peer (tests
/// calling the router directly).
#[derive(Clone, Copy, Debug)]
pub struct ClientAddress(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        Ok(ClientAddress(peer.map(|peer| {
            state.trusted_proxies.client(peer, &parts.headers)
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append("x-forwarded-for", HeaderValue::from_str(v).expect("ascii"));
        }
        headers
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("an address")
    }

    #[test]
    fn only_trusted_peers_are_believed_and_only_for_their_own_hop() {
        let trusted = TrustedProxies::from_str("10.0.0.0/8, 127.0.0.1").expect("parses");
        let claimed = forwarded(&["6.6.6.6, 203.0.113.7"]);
        // A direct client's header is ignored.
        assert_eq!(
            trusted.client(ip("198.51.100.1"), &claimed),
            ip("198.51.100.1")
        );
        // Behind one proxy: its entry, not what the client put in front.
        assert_eq!(trusted.client(ip("10.1.1.1"), &claimed), ip("203.0.113.7"));
        // Two proxies, two headers: the rightmost untrusted hop.
        let chain = forwarded(&["6.6.6.6", "203.0.113.7, 10.2.2.2"]);
        assert_eq!(trusted.client(ip("127.0.0.1"), &chain), ip("203.0.113.7"));
        // No header, or only proxies, or garbage: the peer.
        assert_eq!(
            trusted.client(ip("10.1.1.1"), &HeaderMap::new()),
            ip("10.1.1.1")
        );
        assert_eq!(
            trusted.client(ip("10.1.1.1"), &forwarded(&["10.3.3.3"])),
            ip("10.1.1.1")
        );
        assert_eq!(
            trusted.client(ip("10.1.1.1"), &forwarded(&["nonsense"])),
            ip("10.1.1.1")
        );
        assert_eq!(
            trusted.client(ip("::ffff:10.1.1.1"), &forwarded(&["::ffff:203.0.113.9"])),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn settings_parse_or_say_what_is_wrong() {
        assert_eq!(TrustedProxies::default().0.len(), 2);
        assert!(TrustedProxies::from_str("none")
            .expect("parses")
            .0
            .is_empty());
        let err = TrustedProxies::from_str("10.0.0.0/8,proxy.local").expect_err("a name");
        assert!(err.contains("proxy.local"), "{err}");
    }
}

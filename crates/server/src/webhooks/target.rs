//! Which URLs a site may register for its webhooks: `https://` anywhere,
//! `http://` only to this machine (127.0.0.1, `localhost`, `[::1]`: a receiver
//! next to the server, or a test), no user name or password in the URL (they
//! would show in logs and the admin API), no fragment, at most
//! [`MAX_URL_BYTES`]. Refusals are typed ([`UrlError`]) and answer 400 with
//! code `invalidWebhookUrl`, `field` `url` and the `why`.

use std::net::{Ipv4Addr, Ipv6Addr};
use url::{Host, Url};

/// Longest URL accepted, in bytes.
pub const MAX_URL_BYTES: usize = 2048;

/// Why a webhook URL was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UrlError {
    /// Over [`MAX_URL_BYTES`].
    #[error("url: at most {MAX_URL_BYTES} bytes")]
    TooLong,
    /// Not an absolute URL.
    #[error("url: not an absolute URL")]
    Unparsable,
    /// Neither `https://` nor `http://`.
    #[error("url: must start with https://")]
    Scheme,
    /// `http://` to another machine.
    #[error("url: http:// is allowed for 127.0.0.1, localhost and [::1] only; use https://")]
    PlainHttp,
    /// A user name or password in it.
    #[error("url: no user name or password in the URL")]
    Credentials,
    /// A `#fragment` (never sent to a server).
    #[error("url: no #fragment")]
    Fragment,
}

impl UrlError {
    /// The same refusal typed, for the answer's `why` (its `field` is `url`).
    pub fn why(&self) -> kefu_protocol::FieldWhy {
        use kefu_protocol::FieldWhy as W;
        match self {
            UrlError::TooLong => W::Bytes {
                max: u32::try_from(MAX_URL_BYTES).unwrap_or(u32::MAX),
            },
            UrlError::Unparsable => W::Url,
            UrlError::Scheme => W::Https,
            UrlError::PlainHttp => W::PlainHttp,
            UrlError::Credentials => W::Credentials,
            UrlError::Fragment => W::Fragment,
        }
    }
}

/// `url` checked, as it will be requested (normalised by the URL parser).
pub fn validate(url: &str) -> Result<String, UrlError> {
    if url.len() > MAX_URL_BYTES {
        return Err(UrlError::TooLong);
    }
    let parsed = Url::parse(url.trim()).map_err(|_| UrlError::Unparsable)?;
    let host = parsed.host().ok_or(UrlError::Unparsable)?;
    match parsed.scheme() {
        "https" => {}
        "http" if is_loopback(&host) => {}
        "http" => return Err(UrlError::PlainHttp),
        _ => return Err(UrlError::Scheme),
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(UrlError::Credentials);
    }
    if parsed.fragment().is_some() {
        return Err(UrlError::Fragment);
    }
    Ok(parsed.into())
}

fn is_loopback(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
        Host::Ipv4(ip) => *ip == Ipv4Addr::LOCALHOST,
        Host::Ipv6(ip) => *ip == Ipv6Addr::LOCALHOST,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere_http_on_loopback_only() {
        for ok in [
            "https://hooks.example/kefu?x=1",
            "http://127.0.0.1:9000/in",
            "http://localhost/in",
            "http://[::1]:8080/",
        ] {
            assert!(validate(ok).is_ok(), "{ok}");
        }
        let refused = [
            ("http://hooks.example/in", UrlError::PlainHttp),
            ("http://10.0.0.1/in", UrlError::PlainHttp),
            ("http://127.0.0.2/in", UrlError::PlainHttp),
            ("http://localhost.evil.example/", UrlError::PlainHttp),
            ("ftp://hooks.example/", UrlError::Scheme),
            ("hooks.example/in", UrlError::Unparsable),
            ("https://user:pw@hooks.example/", UrlError::Credentials),
            ("https://user@hooks.example/", UrlError::Credentials),
            ("https://hooks.example/#top", UrlError::Fragment),
        ];
        for (url, why) in refused {
            assert_eq!(validate(url), Err(why), "{url}");
        }
        let long = format!("https://hooks.example/{}", "a".repeat(MAX_URL_BYTES));
        assert_eq!(validate(&long), Err(UrlError::TooLong));
    }
}

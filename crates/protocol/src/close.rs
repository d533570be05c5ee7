//! WebSocket close codes. As in centrifuge, the range tells the client what to do:
//! 4000–4499 "reconnect (with backoff)", 4500–4999 "terminal: do not reconnect
//! with the same credentials". 1001 and 1009 are the RFC 6455 codes.

/// A close code the server may send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CloseCode {
    /// 1000: normal closure.
    Normal,
    /// 1001: server shutting down (graceful restart); reconnect.
    GoingAway,
    /// 1009: frame above the hard limit (64 KiB); reconnect.
    MessageTooBig,
    /// 4000: no `hello` within the deadline; reconnect.
    HelloTimeout,
    /// 4001: the connection could not keep up with its outbound queue; reconnect and sync.
    SlowConsumer,
    /// 4002: too many new visitors from this address in the last minute;
    /// reconnect with backoff (a visitor with a token is never refused).
    TooManyNewVisitors,
    /// 4003: nothing heard from the client (not even a `ping`) for the idle
    /// timeout: the peer is likely gone; reconnect if it is not.
    IdleTimeout,
    /// 4004: this visitor already has the most connections one visitor may
    /// have open on this node; reconnect with backoff (when a tab closes).
    TooManyConnections,
    /// 4500: token invalid or expired; do not reuse it.
    InvalidToken,
    /// 4501: protocol version not supported; do not reconnect.
    UnsupportedVersion,
    /// 4502: the site does not exist; do not reconnect.
    UnknownSite,
    /// 4503: the page's origin is not allowed for this site; do not reconnect.
    ForbiddenOrigin,
    /// 4504: the first frame was not `hello`.
    HelloRequired,
}

impl CloseCode {
    /// The numeric code.
    pub fn code(self) -> u16 {
        match self {
            CloseCode::Normal => 1000,
            CloseCode::GoingAway => 1001,
            CloseCode::MessageTooBig => 1009,
            CloseCode::HelloTimeout => 4000,
            CloseCode::SlowConsumer => 4001,
            CloseCode::TooManyNewVisitors => 4002,
            CloseCode::IdleTimeout => 4003,
            CloseCode::TooManyConnections => 4004,
            CloseCode::InvalidToken => 4500,
            CloseCode::UnsupportedVersion => 4501,
            CloseCode::UnknownSite => 4502,
            CloseCode::ForbiddenOrigin => 4503,
            CloseCode::HelloRequired => 4504,
        }
    }

    /// Every close code, in numeric order.
    pub const ALL: [CloseCode; 13] = [
        CloseCode::Normal,
        CloseCode::GoingAway,
        CloseCode::MessageTooBig,
        CloseCode::HelloTimeout,
        CloseCode::SlowConsumer,
        CloseCode::TooManyNewVisitors,
        CloseCode::IdleTimeout,
        CloseCode::TooManyConnections,
        CloseCode::InvalidToken,
        CloseCode::UnsupportedVersion,
        CloseCode::UnknownSite,
        CloseCode::ForbiddenOrigin,
        CloseCode::HelloRequired,
    ];

    /// The close code with this number, if it is one of ours.
    pub fn from_code(code: u16) -> Option<CloseCode> {
        CloseCode::ALL.into_iter().find(|c| c.code() == code)
    }

    /// Whether a client should reconnect after a close with `code`.
    /// Unknown codes (e.g. 1006 abnormal closure) mean "reconnect".
    pub fn should_reconnect(code: u16) -> bool {
        !(4500..5000).contains(&code)
    }

    /// Short reason text sent in the close frame.
    pub fn reason(self) -> &'static str {
        match self {
            CloseCode::Normal => "bye",
            CloseCode::GoingAway => "server shutting down",
            CloseCode::MessageTooBig => "frame too large",
            CloseCode::HelloTimeout => "hello timeout",
            CloseCode::SlowConsumer => "slow consumer",
            CloseCode::TooManyNewVisitors => "too many new visitors from this address",
            CloseCode::IdleTimeout => "idle timeout",
            CloseCode::TooManyConnections => "too many connections for this visitor",
            CloseCode::InvalidToken => "invalid token",
            CloseCode::UnsupportedVersion => "unsupported protocol version",
            CloseCode::UnknownSite => "unknown site",
            CloseCode::ForbiddenOrigin => "origin not allowed",
            CloseCode::HelloRequired => "hello required",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::CloseCode;

    #[test]
    fn codes_round_trip_and_are_listed_once() {
        for c in CloseCode::ALL {
            assert_eq!(CloseCode::from_code(c.code()), Some(c));
        }
        let mut codes: Vec<u16> = CloseCode::ALL.iter().map(|c| c.code()).collect();
        codes.dedup();
        assert_eq!(codes.len(), CloseCode::ALL.len());
        assert_eq!(CloseCode::from_code(1006), None);
    }
}

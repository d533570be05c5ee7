//! Why the server refused a request, typed, so a client says it in its own
//! language — the console, in English or Chinese:
//!
//! - [`FieldWhy`]: what is wrong with one field, the `why` of a `400
//!   invalidField` answer (beside `field`, its JSON path, and `error`, the
//!   server's English words);
//! - [`Denial`]: a request that is well formed but not allowed or not
//!   possible now, the `denied` of a `403 forbidden` or `409 conflict`;
//! - [`Missing`]: what a `404 notFound` did not find.
//!
//! The server builds its words from the same value (`english()`), so the two
//! never disagree.

use serde::{Deserialize, Serialize};

/// What is wrong with a field's value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum FieldWhy {
    /// Must be `min`–`max` characters (a name, a password).
    Length {
        /// The fewest characters.
        min: u32,
        /// The most characters.
        max: u32,
    },
    /// At most `max` characters.
    TooLong {
        /// The most characters.
        max: u32,
    },
    /// At most `max` entries.
    TooMany {
        /// The most entries.
        max: u32,
    },
    /// A whole number from `min` to `max`.
    Range {
        /// The least.
        min: u32,
        /// The most.
        max: u32,
    },
    /// 0 (keep forever) or 1–`max` days.
    Retention {
        /// The most days.
        max: u32,
    },
    /// Holds control characters (a new line is fine where text is).
    Control,
    /// Not a language visitors get texts in (`en`, `zh-CN`).
    Language {
        /// The tag given.
        value: String,
    },
    /// Not a weekday (`mon` … `sun`).
    Day {
        /// The name given.
        value: String,
    },
    /// Not a time range like `09:00-18:00` with the end after the start.
    Hours {
        /// The range given.
        value: String,
    },
    /// Not an IANA time zone like `Asia/Shanghai`.
    TimeZone {
        /// The zone given.
        value: String,
    },
    /// Not a colour like `#0a7d5a`.
    Colour {
        /// The colour given.
        value: String,
    },
    /// Not an origin like `https://shop.example`.
    Origin {
        /// The origin given.
        value: String,
    },
    /// A number from 0 to 1 (a bot threshold).
    Fraction,
    /// Must not be above the field `other` (a JSON path, like this one's).
    NotAbove {
        /// The field it may not exceed.
        other: String,
    },
    /// At least `min` (an upload limit: 0 would refuse every upload).
    AtLeast {
        /// The least.
        min: u64,
    },
    /// Not an e-mail address.
    Email {
        /// The address given.
        value: String,
    },
    /// Not an ID of 1–64 characters of `a-z`, `0-9`, `-` and `_`.
    Id {
        /// The ID given.
        value: String,
    },
    /// The value is listed twice.
    Twice {
        /// The value.
        value: String,
    },
    /// A category's name must be 1–`max` characters.
    CategoryName {
        /// The category's ID.
        id: String,
        /// The most characters.
        max: u32,
    },
    /// Not one of the site's categories.
    UnknownCategory {
        /// The ID given.
        value: String,
    },
    /// Longer than `max` bytes (a URL).
    Bytes {
        /// The most bytes.
        max: u32,
    },
    /// Not an absolute URL.
    Url,
    /// Must start with `https://`.
    Https,
    /// `http://` only to this machine (`127.0.0.1`, `localhost`, `[::1]`).
    PlainHttp,
    /// A user name or password in a URL.
    Credentials,
    /// A `#fragment` in a URL (never sent to a server).
    Fragment,
    /// Not an event one can subscribe to.
    Event {
        /// The name given.
        value: String,
    },
    /// Nothing chosen where at least one is needed (a webhook's events).
    NoneChosen,
    /// Not a date like `2026-12-06`.
    Date {
        /// The date given.
        value: String,
    },
    /// A range of at most `max` days, its start not after its end.
    Days {
        /// The most days.
        max: u32,
    },
    /// Not a username: 1–64 letters, digits, `.`, `_`, `-`, `@`.
    Username,
}

/// Why a well-formed request is not allowed (403) or not possible now (409).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Denial {
    /// Only an owner may add, change or remove an owner (403).
    OwnerOnly,
    /// The account is disabled (403).
    Disabled,
    /// An agent administers their own site only (403).
    OtherSite,
    /// It needs an owner or an admin of the site (403).
    AdminOnly,
    /// A site with owners keeps at least one active owner (409).
    LastOwner,
    /// The username is taken (409).
    UsernameTaken {
        /// The username.
        username: String,
    },
    /// The knowledge base changed meanwhile; try again (409).
    KbChanged,
    /// A site has at most `max` webhooks (409).
    TooManyWebhooks {
        /// The most.
        max: u32,
    },
}

/// What a `404` did not find (its `missing`): gone meanwhile (another
/// tab, another admin), or never there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Missing {
    /// An agent (a member of the team).
    Agent,
    /// An agent's picture.
    Avatar,
    /// A question the bot could not answer.
    BotMiss,
    /// A conversation.
    Conversation,
    /// A site's knowledge base.
    KnowledgeBase,
    /// A message.
    Message,
    /// The route itself.
    Route,
    /// A site.
    Site,
    /// An uploaded file.
    Upload,
    /// A visitor.
    Visitor,
    /// A webhook endpoint.
    Webhook,
}

impl Missing {
    /// The server's noun for it.
    pub fn english(self) -> &'static str {
        match self {
            Missing::Agent => "agent",
            Missing::Avatar => "avatar",
            Missing::BotMiss => "bot miss",
            Missing::Conversation => "conversation",
            Missing::KnowledgeBase => "knowledge base",
            Missing::Message => "message",
            Missing::Route => "route",
            Missing::Site => "site",
            Missing::Upload => "upload",
            Missing::Visitor => "visitor",
            Missing::Webhook => "webhook",
        }
    }
}

impl Denial {
    /// Whether it is a 409 (not possible now) rather than a 403 (not allowed).
    pub fn is_conflict(&self) -> bool {
        matches!(
            self,
            Denial::LastOwner
                | Denial::UsernameTaken { .. }
                | Denial::KbChanged
                | Denial::TooManyWebhooks { .. }
        )
    }

    /// The server's words for it.
    pub fn english(&self) -> String {
        match self {
            Denial::OwnerOnly => "only an owner may add, change or remove an owner".to_owned(),
            Denial::Disabled => "this account is disabled".to_owned(),
            Denial::OtherSite => "an agent administers their own site only".to_owned(),
            Denial::AdminOnly => "this needs an owner or an admin of the site".to_owned(),
            Denial::LastOwner => {
                "a site keeps at least one active owner: make another owner first".to_owned()
            }
            Denial::UsernameTaken { username } => format!("username `{username}` is taken"),
            Denial::KbChanged => "the knowledge base changed meanwhile; try again".to_owned(),
            Denial::TooManyWebhooks { max } => format!("a site has at most {max} webhooks"),
        }
    }
}

impl FieldWhy {
    /// The server's words for it (without the field's name).
    pub fn english(&self) -> String {
        match self {
            FieldWhy::Length { min, max } => format!("must be {min}–{max} characters"),
            FieldWhy::TooLong { max } => format!("at most {max} characters"),
            FieldWhy::TooMany { max } => format!("at most {max} entries"),
            FieldWhy::Range { min, max } => format!("must be a whole number {min}–{max}"),
            FieldWhy::Retention { max } => format!("must be 0 (keep forever) or 1–{max}"),
            FieldWhy::Control => "control characters".to_owned(),
            FieldWhy::Language { value } => format!("language `{value}` (use en or zh-CN)"),
            FieldWhy::Day { value } => format!("unknown day `{value}` (use mon … sun)"),
            FieldWhy::Hours { value } => {
                format!("`{value}` is not a range like 09:00-18:00 (the end after the start)")
            }
            FieldWhy::TimeZone { value } => format!("unknown time zone `{value}`"),
            FieldWhy::Colour { value } => format!("`{value}` is not a colour like #0a7d5a"),
            FieldWhy::Origin { value } => {
                format!("`{value}` is not an origin like https://shop.example")
            }
            FieldWhy::Fraction => "must be a number from 0 to 1".to_owned(),
            FieldWhy::NotAbove { other } => format!("must not be above {other}"),
            FieldWhy::AtLeast { min } => format!("must be at least {min}"),
            FieldWhy::Email { value } => format!("`{value}` is not an e-mail address"),
            FieldWhy::Id { value } => {
                format!("`{value}` must be 1–64 characters of a-z, 0-9, `-` and `_`")
            }
            FieldWhy::Twice { value } => format!("`{value}` is listed twice"),
            FieldWhy::CategoryName { id, max } => {
                format!("category `{id}`: name must be 1–{max} characters")
            }
            FieldWhy::UnknownCategory { value } => {
                format!("unknown category `{value}`: not one of the site's categories")
            }
            FieldWhy::Bytes { max } => format!("at most {max} bytes"),
            FieldWhy::Url => "not an absolute URL".to_owned(),
            FieldWhy::Https => "must start with https://".to_owned(),
            FieldWhy::PlainHttp => {
                "http:// is allowed for 127.0.0.1, localhost and [::1] only; use https://"
                    .to_owned()
            }
            FieldWhy::Credentials => "no user name or password in the URL".to_owned(),
            FieldWhy::Fragment => "no #fragment".to_owned(),
            FieldWhy::Event { value } => format!("unknown event type `{value}`"),
            FieldWhy::NoneChosen => "choose at least one".to_owned(),
            FieldWhy::Date { value } => format!("`{value}` is not a date like 2026-12-06"),
            FieldWhy::Days { max } => format!("at most {max} days, the start not after the end"),
            FieldWhy::Username => {
                "must be 1–64 characters of letters, digits, `.`, `_`, `-`, `@`".to_owned()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Denial, FieldWhy};

    #[test]
    fn the_wire_form_is_a_tagged_object() {
        let why = FieldWhy::Range { min: 1, max: 50 };
        let json = serde_json::to_value(&why).expect("encodes");
        assert_eq!(
            json,
            serde_json::json!({"kind": "range", "min": 1, "max": 50})
        );
        let zone: FieldWhy =
            serde_json::from_str(r#"{"kind":"timeZone","value":"Mars/Base"}"#).expect("decodes");
        assert_eq!(zone.english(), "unknown time zone `Mars/Base`");
        assert!(serde_json::from_str::<FieldWhy>(r#"{"kind":"other"}"#).is_err());
        let denied: Denial =
            serde_json::from_value(serde_json::json!({"kind": "lastOwner"})).expect("decodes");
        assert_eq!(denied, Denial::LastOwner);
        let taken = Denial::UsernameTaken {
            username: "lin".into(),
        };
        assert_eq!(
            serde_json::to_value(&taken).expect("encodes"),
            serde_json::json!({"kind": "usernameTaken", "username": "lin"})
        );
    }
}

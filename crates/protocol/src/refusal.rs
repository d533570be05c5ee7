//! Why the server refused a field of a request: the `why` of a `400
//! invalidField` answer (beside `field`, its JSON path, and `error`, the
//! server's English words), so a client says it in its own language — the
//! console's Site screen, in English or Chinese. The server builds its words
//! from the same value ([`FieldWhy::english`]), so the two never disagree.

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
        }
    }
}

#[cfg(test)]
mod tests {
    use super::FieldWhy;

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
    }
}

//! Who the visitor is, as the host page says it (`kefu.setUser` and
//! `kefu.setAttributes`): the `identify` frame's [`VisitorUser`] and attributes,
//! their limits and [`normalize_user`] / [`normalize_attributes`] (the server
//! keeps what fits and drops the rest instead of refusing the frame), and what
//! agents see of it in a profile ([`ProfileUser`], [`Attributes`]).

use crate::context::cap;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value};
use std::collections::BTreeMap;

/// Longest user `id`, `name`, `email` and `hash`, in characters.
pub const MAX_USER_FIELD_CHARS: usize = 200;
/// Longest user `avatar` URL, in characters.
pub const MAX_AVATAR_CHARS: usize = 2048;
/// Most attributes kept (the first ones in key order).
pub const MAX_ATTRIBUTES: usize = 20;
/// Longest attribute key, in characters.
pub const MAX_ATTRIBUTE_KEY_CHARS: usize = 40;
/// Longest string attribute value, in characters.
pub const MAX_ATTRIBUTE_VALUE_CHARS: usize = 200;

/// The user the host page signed in, from `kefu.setUser`. Every field is
/// optional; `hash` (hex HMAC-SHA256 of `id` with the site's identity secret)
/// only matters with `id`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VisitorUser {
    /// The site's own user ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// E-mail address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Avatar image URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
    /// Identity verification: hex HMAC-SHA256(identity secret, `id`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
}

/// What agents see of the user: the fields given, and whether `id` was
/// verified with the site's identity secret.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProfileUser {
    /// The site's own user ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// E-mail address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Avatar image URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
    /// True only when the site has an identity secret and `hash` matched `id`.
    pub verified: bool,
}

/// One attribute value: a string, a number or a boolean.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AttributeValue {
    /// `true` / `false`.
    Bool(bool),
    /// A JSON number.
    Number(Number),
    /// A string, at most 200 characters.
    Text(String),
}

/// A visitor's attributes, by key.
pub type Attributes = BTreeMap<String, AttributeValue>;

/// Each field trimmed and cut to its limit, empty ones dropped; `None` when
/// nothing is left.
pub fn normalize_user(user: VisitorUser) -> Option<VisitorUser> {
    let user = VisitorUser {
        id: cap(user.id, MAX_USER_FIELD_CHARS),
        name: cap(user.name, MAX_USER_FIELD_CHARS),
        email: cap(user.email, MAX_USER_FIELD_CHARS),
        avatar: cap(user.avatar, MAX_AVATAR_CHARS),
        hash: cap(user.hash, MAX_USER_FIELD_CHARS),
    };
    (user != VisitorUser::default()).then_some(user)
}

/// The attributes kept of a flat JSON object: keys of 1–40 characters with a
/// string (at most 200 characters), number or boolean value; at most 20, the
/// first in key order. Anything else is dropped.
pub fn normalize_attributes(raw: Map<String, Value>) -> Attributes {
    let valid: Attributes = raw
        .into_iter()
        .filter(|(k, _)| (1..=MAX_ATTRIBUTE_KEY_CHARS).contains(&k.chars().count()))
        .filter_map(|(k, v)| {
            let value = match v {
                Value::Bool(b) => AttributeValue::Bool(b),
                Value::Number(n) => AttributeValue::Number(n),
                Value::String(s) if s.chars().count() <= MAX_ATTRIBUTE_VALUE_CHARS => {
                    AttributeValue::Text(s)
                }
                _ => return None,
            };
            Some((k, value))
        })
        .collect();
    valid.into_iter().take(MAX_ATTRIBUTES).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn attributes_keep_flat_values_within_limits() {
        let mut raw = Map::new();
        raw.insert("plan".into(), json!("pro"));
        raw.insert("orders".into(), json!(3));
        raw.insert("vip".into(), json!(true));
        raw.insert("nested".into(), json!({"a": 1}));
        raw.insert("list".into(), json!([1]));
        raw.insert("none".into(), Value::Null);
        raw.insert("long".into(), json!("x".repeat(201)));
        raw.insert("k".repeat(41), json!(1));
        raw.insert(String::new(), json!(1));
        let kept = normalize_attributes(raw);
        let keys: Vec<_> = kept.keys().map(String::as_str).collect();
        assert_eq!(keys, ["orders", "plan", "vip"]);
        assert_eq!(kept["plan"], AttributeValue::Text("pro".into()));
        let many = (0..30).map(|i| (format!("k{i:02}"), json!(i))).collect();
        let kept = normalize_attributes(many);
        assert_eq!(kept.len(), MAX_ATTRIBUTES);
        assert!(kept.contains_key("k00") && kept.contains_key("k19"));
    }

    #[test]
    fn user_fields_are_trimmed_and_capped() {
        let user = VisitorUser {
            id: Some(" u1 ".into()),
            name: Some("n".repeat(300)),
            email: Some("  ".into()),
            ..VisitorUser::default()
        };
        let user = normalize_user(user).expect("kept");
        assert_eq!(user.id.as_deref(), Some("u1"));
        assert_eq!(user.name.map(|n| n.chars().count()), Some(200));
        assert_eq!(user.email, None);
        assert_eq!(normalize_user(VisitorUser::default()), None);
    }
}

//! What the console keeps in the browser: the agent token in `sessionStorage`
//! (it survives a reload of the tab but not closing it, and other tabs sign in
//! on their own), and each agent's inbox mark in `localStorage` (left messages
//! seen stay seen in every tab and after the tab is closed), and the language
//! the agent picked in `localStorage` (without a pick: the browser's).

use kefu_protocol::Locale;

const KEY: &str = "kefu-console-token";

/// `localStorage` key of the agent's language.
const LOCALE_KEY: &str = "kefu-console-locale";

/// `localStorage` key of an agent's inbox mark.
fn inbox_key(agent: &str) -> String {
    format!("kefu-console-inbox-seen:{agent}")
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The stored token, if any.
pub fn load() -> Option<String> {
    storage()?.get_item(KEY).ok()?
}

/// Keep `token`.
pub fn save(token: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(KEY, token);
    }
}

/// Forget the token.
pub fn clear() {
    if let Some(s) = storage() {
        let _ = s.remove_item(KEY);
    }
}

/// The time of the newest left message `agent` saw in the inbox (0: none).
pub fn inbox_seen(agent: &str) -> i64 {
    local()
        .and_then(|s| s.get_item(&inbox_key(agent)).ok().flatten())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Keep `agent`'s inbox mark.
pub fn save_inbox_seen(agent: &str, time: i64) {
    if let Some(s) = local() {
        let _ = s.set_item(&inbox_key(agent), &time.to_string());
    }
}

/// The language the agent picked in this browser, else the browser's own.
pub fn locale() -> Locale {
    let picked = local().and_then(|s| s.get_item(LOCALE_KEY).ok().flatten());
    let tag = picked.or_else(|| web_sys::window()?.navigator().language());
    Locale::from_tag(tag.as_deref().unwrap_or_default())
}

/// Keep the agent's pick.
pub fn save_locale(locale: Locale) {
    if let Some(s) = local() {
        let _ = s.set_item(LOCALE_KEY, locale.tag());
    }
}

//! The agent token in `sessionStorage`: it survives a reload of the tab but
//! not closing it, and other tabs sign in on their own.

const KEY: &str = "kefu-console-token";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
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

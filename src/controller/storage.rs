//! The visitor token in localStorage (`kefu:<site>:token`). Storage can be missing
//! or throw (private mode, sandboxed frames, quota): then the visitor is simply
//! anonymous on every page load, never broken.

use web_sys::Storage;

fn local_storage() -> Option<Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The stored value under `key`, if any.
pub fn load(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok()?
}

/// Store `value` under `key` (best effort).
pub fn save(key: &str, value: &str) {
    if let Some(s) = local_storage() {
        let _ = s.set_item(key, value);
    }
}

/// Remove `key` (best effort).
pub fn clear(key: &str) {
    if let Some(s) = local_storage() {
        let _ = s.remove_item(key);
    }
}

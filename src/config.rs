//! [`WidgetConfig`]: what the loader passes to `mount` (`{site, server, locale?,
//! open?, title?, sound?}`), and what follows from it (the WebSocket URL, the storage key).
//! Pure, tested natively.

use kefu_protocol::SiteId;
use wasm_bindgen::JsValue;

/// The widget's configuration, as given to `mount(container, config)`.
#[derive(Clone, Debug, PartialEq)]
pub struct WidgetConfig {
    /// The site the widget is embedded for (`data-site`).
    pub site: SiteId,
    /// The Kefu server's origin, e.g. `https://chat.example.com`; empty means the
    /// page's own origin.
    pub server: String,
    /// `en` or `zh-CN`; absent means `navigator.language`.
    pub locale: Option<String>,
    /// Open the window as soon as the widget is mounted.
    pub open: bool,
    /// Window title; absent means the localized default.
    pub title: Option<String>,
    /// Beep when a message arrives while the page is not seen (`data-sound="on"`).
    pub sound: bool,
}

impl WidgetConfig {
    /// A config for `site` on the page's own origin.
    pub fn new(site: &str) -> Self {
        WidgetConfig {
            site: site.into(),
            server: String::new(),
            locale: None,
            open: false,
            title: None,
            sound: false,
        }
    }

    /// Read the JS config object (`{site, server?, locale?, open?, title?}`).
    /// Read field by field: a serde path would cost more wasm than it saves.
    pub fn from_js(config: &JsValue) -> Result<Self, String> {
        let get = |key: &str| js_sys::Reflect::get(config, &JsValue::from_str(key)).ok();
        let text = |key: &str| get(key).and_then(|v| v.as_string());
        WidgetConfig {
            site: text("site").unwrap_or_default().into(),
            server: text("server").unwrap_or_default(),
            locale: text("locale"),
            open: get("open").is_some_and(|v| v.is_truthy()),
            title: text("title"),
            sound: get("sound").is_some_and(|v| v.is_truthy()),
        }
        .validated()
    }

    /// The config, if its site ID has the allowed shape.
    pub fn validated(self) -> Result<Self, String> {
        if self.site.is_valid() {
            Ok(self)
        } else {
            Err(format!("kefu: bad site id `{}`", self.site))
        }
    }

    /// The Kefu server's origin without a trailing `/` (empty: the page's own,
    /// so URLs built on it are relative).
    pub fn base(&self) -> &str {
        self.server.trim_end_matches('/')
    }

    /// The WebSocket URL: the server's origin with `ws`/`wss`, plus `/ws`.
    /// `page_origin` (e.g. `https://shop.example`) is used when `server` is empty.
    pub fn ws_url(&self, page_origin: &str) -> String {
        let base = if self.server.is_empty() {
            page_origin
        } else {
            self.server.as_str()
        };
        let base = base.trim_end_matches('/');
        let ws = if let Some(rest) = base.strip_prefix("https://") {
            format!("wss://{rest}")
        } else if let Some(rest) = base.strip_prefix("http://") {
            format!("ws://{rest}")
        } else {
            base.to_owned()
        };
        format!("{ws}/ws")
    }

    /// The localStorage key of the visitor token: `kefu:<site>:token`.
    pub fn token_key(&self) -> String {
        format!("kefu:{}:token", self.site)
    }
}

#[cfg(test)]
mod tests {
    use super::WidgetConfig;

    #[test]
    fn a_new_config_has_defaults() {
        let c = WidgetConfig::new("demo");
        assert_eq!(c.site.as_str(), "demo");
        assert!(!c.open && c.locale.is_none() && c.title.is_none() && c.server.is_empty());
    }

    #[test]
    fn rejects_a_missing_or_malformed_site() {
        assert!(WidgetConfig::new("demo").validated().is_ok());
        assert!(WidgetConfig::new("").validated().is_err());
        assert!(WidgetConfig::new("Bad Site!").validated().is_err());
    }

    #[test]
    fn derives_the_websocket_url() {
        let mut c = WidgetConfig::new("demo");
        assert_eq!(c.ws_url("http://localhost:8080"), "ws://localhost:8080/ws");
        c.server = "https://chat.example.com/".into();
        assert_eq!(c.ws_url("http://ignored"), "wss://chat.example.com/ws");
        c.server = "http://127.0.0.1:9000".into();
        assert_eq!(c.ws_url(""), "ws://127.0.0.1:9000/ws");
    }

    #[test]
    fn keys_the_token_by_site() {
        assert_eq!(WidgetConfig::new("demo").token_key(), "kefu:demo:token");
    }
}

//! `console_error_panic_hook` 0.1.7's API (`hook`, `set_once`), patched into the
//! workspace for Yew, which installs [`hook`] as the panic hook whenever it
//! renders.
//!
//! The widget's and the console's release builds compile panics to immediate
//! aborts (`-Cpanic=immediate-abort`; docs/architecture.md, "Widget size"):
//! a panic traps at once and no hook ever runs, so there [`hook`] is
//! empty, and the formatting of the panic message and the `console.error` and
//! `Error().stack` imports it needed are not shipped to visitors (about 0.5 KB
//! brotli). Any other build (the browser tests, debug builds, native) gets the
//! original behaviour: the message and a JS stack trace on `console.error`
//! (wasm32), or the message on stderr.
//!
//! The original is MIT OR Apache-2.0, by the rustwasm contributors.

use std::panic::PanicHookInfo;

/// A panic hook for use with [`std::panic::set_hook`] that logs the panic
/// (nothing where panics abort immediately, as none reaches it there).
pub fn hook(info: &PanicHookInfo) {
    #[cfg(not(panic = "immediate-abort"))]
    imp::hook(info);
    #[cfg(panic = "immediate-abort")]
    let _ = info;
}

/// Set [`hook`] as the panic hook, once.
#[inline]
pub fn set_once() {
    use std::sync::Once;
    static SET_HOOK: Once = Once::new();
    SET_HOOK.call_once(|| std::panic::set_hook(Box::new(hook)));
}

#[cfg(all(target_arch = "wasm32", not(panic = "immediate-abort")))]
mod imp {
    use std::panic::PanicHookInfo;
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_namespace = console)]
        fn error(msg: String);

        type Error;

        #[wasm_bindgen(constructor)]
        fn new() -> Error;

        #[wasm_bindgen(structural, method, getter)]
        fn stack(error: &Error) -> String;
    }

    /// The message, then the JS stack, on `console.error`.
    pub fn hook(info: &PanicHookInfo) {
        let mut msg = info.to_string();
        msg.push_str("\n\nStack:\n\n");
        msg.push_str(&Error::new().stack());
        msg.push_str("\n\n");
        error(msg);
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use std::io::Write;
    use std::panic::PanicHookInfo;

    /// The message on stderr.
    pub fn hook(info: &PanicHookInfo) {
        let _ = writeln!(std::io::stderr(), "{info}");
    }
}

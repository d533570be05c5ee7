//! Telling the agent about a visitor's message: a short WebAudio beep, a
//! desktop notification (only once the agent granted permission from the
//! header's button; never asked on load), and the unread count in the tab title.

use crate::i18n;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use web_sys::{AudioContext, Notification, NotificationOptions, NotificationPermission};

thread_local! {
    /// One audio context for the page, made on the first beep (browsers allow
    /// it to start once the page had a user gesture: the sign-in).
    static AUDIO: RefCell<Option<AudioContext>> = const { RefCell::new(None) };
}

/// A 160 ms, 880 Hz beep, faded out.
pub fn beep() {
    AUDIO.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            *slot = AudioContext::new().ok();
        }
        if let Some(ctx) = slot.as_ref() {
            let _ = play(ctx);
        }
    });
}

fn play(ctx: &AudioContext) -> Result<(), wasm_bindgen::JsValue> {
    let _ = ctx.resume();
    let osc = ctx.create_oscillator()?;
    let gain = ctx.create_gain()?;
    let now = ctx.current_time();
    osc.frequency().set_value(880.0);
    gain.gain().set_value_at_time(0.15, now)?;
    gain.gain()
        .exponential_ramp_to_value_at_time(0.001, now + 0.16)?;
    osc.connect_with_audio_node(&gain)?;
    gain.connect_with_audio_node(&ctx.destination())?;
    osc.start()?;
    osc.stop_with_when(now + 0.17)?;
    Ok(())
}

/// Whether the browser supports notifications and the agent has not decided yet.
pub fn can_ask() -> bool {
    supported() && Notification::permission() == NotificationPermission::Default
}

/// Ask for permission (from a click); `done` runs once the agent answered.
pub fn ask(done: impl FnOnce() + 'static) {
    if !supported() {
        return;
    }
    if let Ok(promise) = Notification::request_permission() {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
            done();
        });
    }
}

/// A desktop notification, if permitted; clicking it focuses the console and
/// runs `on_click` (show the conversation).
pub fn notify(body: &str, on_click: impl FnOnce() + 'static) {
    if !supported() || Notification::permission() != NotificationPermission::Granted {
        return;
    }
    let options = NotificationOptions::new();
    options.set_body(body);
    options.set_tag("kefu-console");
    if let Ok(n) = Notification::new_with_options(i18n::t().new_message, &options) {
        let shown = n.clone();
        let handler = Closure::once_into_js(move || {
            if let Some(w) = web_sys::window() {
                let _ = w.focus();
            }
            shown.close();
            on_click();
        });
        n.set_onclick(Some(handler.unchecked_ref()));
    }
}

/// Set the tab title if it changed.
pub fn set_title(title: &str) {
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        if doc.title() != title {
            doc.set_title(title);
        }
    }
}

fn supported() -> bool {
    web_sys::window().is_some_and(|w| {
        js_sys::Reflect::has(&w, &wasm_bindgen::JsValue::from_str("Notification")).unwrap_or(false)
    })
}

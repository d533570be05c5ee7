//! Telling a visitor who is not looking: the tab title alternates between
//! `(N) New message` and the host page's own title every second while messages
//! arrive unseen, and comes back exactly as it was once the page is seen again
//! (a title the host sets meanwhile becomes the one restored); a short WebAudio
//! beep when the site turned the sound on (`data-sound="on"`).

use gloo_timers::callback::Interval;
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::Document;

/// The running flash: its timer, and the host's title with the flash text.
struct Running {
    _tick: Interval,
    titles: Rc<RefCell<(String, String)>>,
}

/// The tab-title flash; idle until [`TitleFlash::show`] gets a count.
#[derive(Default)]
pub struct TitleFlash {
    running: RefCell<Option<Running>>,
}

impl TitleFlash {
    /// Flash `(unseen) text` while `unseen > 0`; restore the title at 0.
    pub fn show(&self, unseen: u32, text: &str) {
        let Some(doc) = document() else { return };
        let mut running = self.running.borrow_mut();
        if unseen == 0 {
            if let Some(r) = running.take() {
                doc.set_title(&r.titles.borrow().0);
            }
            return;
        }
        let mut flash = String::from("(");
        flash.push_str(&unseen.to_string());
        flash.push_str(") ");
        flash.push_str(text);
        if let Some(r) = running.as_ref() {
            doc.set_title(&flash);
            r.titles.borrow_mut().1 = flash;
            return;
        }
        let titles = Rc::new(RefCell::new((doc.title(), flash.clone())));
        doc.set_title(&flash);
        let shared = titles.clone();
        let tick = Interval::new(1_000, move || {
            let mut t = shared.borrow_mut();
            let now = doc.title();
            if now != t.1 && now != t.0 {
                t.0 = now.clone(); // the host page changed its title meanwhile
            }
            doc.set_title(if now == t.1 { &t.0 } else { &t.1 });
        });
        *running = Some(Running {
            _tick: tick,
            titles,
        });
    }
}

fn document() -> Option<Document> {
    web_sys::window()?.document()
}

/// A quiet 150 ms, 880 Hz beep on the page's one audio context (made on the
/// first beep; silent where the browser refuses audio).
pub fn chime(audio: &RefCell<Option<web_sys::AudioContext>>) {
    let mut slot = audio.borrow_mut();
    if slot.is_none() {
        *slot = web_sys::AudioContext::new().ok();
    }
    if let Some(ctx) = slot.as_ref() {
        let _ = beep(ctx);
    }
}

fn beep(ctx: &web_sys::AudioContext) -> Result<(), wasm_bindgen::JsValue> {
    let osc = ctx.create_oscillator()?;
    let gain = ctx.create_gain()?;
    osc.frequency().set_value(880.0);
    gain.gain().set_value(0.1);
    osc.connect_with_audio_node(&gain)?
        .connect_with_audio_node(&ctx.destination())?;
    osc.start()?;
    osc.stop_with_when(ctx.current_time() + 0.15)
}

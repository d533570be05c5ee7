//! The composer's media controls ([`MediaTools`]): attach (paperclip and a hidden
//! file input), faces (a grid of `kefu_protocol::FACES`) and voice (record a voice
//! message; only where `MediaRecorder` and `getUserMedia` exist).
//! [`attach_files`] sends a `FileList` from the input, a drop or a paste.

use super::icons;
use crate::hooks::{use_chat, ChatContext};
use kefu_protocol::FACES;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobEvent, FileList, HtmlInputElement, MediaRecorder, MediaStream};
use yew::prelude::*;

/// Upload and send every file of `files`.
pub fn attach_files(chat: &ChatContext, files: Option<FileList>) {
    let Some(files) = files else { return };
    for i in 0..files.length() {
        if let Some(f) = files.get(i) {
            let name = f.name();
            chat.controller.attach(f.into(), name, None);
        }
    }
}

/// The composer's tools, one component (each Yew component type costs the widget
/// its own copy of Yew's machinery): `button.kefu-attach` with its hidden
/// `input[type=file]`, `button.kefu-faces-toggle` with `div.kefu-faces` while
/// open, and `button.kefu-record` where the browser can record. The first click
/// on the microphone records (after the browser's permission prompt), the second
/// stops and sends the recording as a `sound` with its length.
#[component]
pub fn MediaTools() -> Html {
    let chat = use_chat();
    let t = chat.strings();
    let input = use_node_ref();
    let faces_open = use_state(|| false);
    let can_record = use_state(can_record);
    let recording = use_state(|| false);
    let current = use_mut_ref(|| None::<Recording>);

    let pick = {
        let input = input.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(el) = input.cast::<HtmlInputElement>() {
                el.click();
            }
        })
    };
    let onchange = {
        let chat = chat.clone();
        Callback::from(move |e: Event| {
            if let Some(el) = e.target_dyn_into::<HtmlInputElement>() {
                attach_files(&chat, el.files());
                el.set_value("");
            }
        })
    };
    let toggle = {
        let open = faces_open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let grid = faces_open.then(|| {
        let onkeydown = {
            let open = faces_open.clone();
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Escape" {
                    e.stop_propagation();
                    open.set(false);
                }
            })
        };
        let faces = FACES.iter().enumerate().map(|(i, face)| {
            let (chat, open) = (chat.clone(), faces_open.clone());
            let onclick = Callback::from(move |_: MouseEvent| {
                chat.controller.send_face(i as u32);
                open.set(false);
            });
            html! { <button type="button" class="kefu-face-pick" aria-label={*face} {onclick}>{*face}</button> }
        });
        html! { <div class="kefu-faces" role="group" aria-label={t.faces} {onkeydown}>{ for faces }</div> }
    });
    let voice = can_record.then(|| {
        let (chat, recording, current) = (chat.clone(), recording.clone(), current.clone());
        let label = if *recording { t.stop_record } else { t.record };
        let on = *recording;
        let onclick = Callback::from(move |_: MouseEvent| {
            if *recording {
                // The recording stays held (its `stop` handler sends it) until the
                // next one replaces it.
                if let Some(r) = current.borrow().as_ref() {
                    let _ = r.recorder.stop();
                }
                recording.set(false);
                return;
            }
            let (chat, recording, current) = (chat.clone(), recording.clone(), current.clone());
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(r) = start(chat).await {
                    *current.borrow_mut() = Some(r);
                    recording.set(true);
                }
            });
        });
        html! {
            <button type="button" class={classes!("kefu-tool", "kefu-record", on.then_some("kefu-record--on"))}
                aria-label={label} title={label} aria-pressed={if on { "true" } else { "false" }} {onclick}>
                {icons::mic()}
            </button>
        }
    });
    html! {
        <>
            <button type="button" class="kefu-tool kefu-attach" aria-label={t.attach} title={t.attach} onclick={pick}>
                {icons::clip()}
            </button>
            <input ref={input} type="file" class="kefu-file-input" multiple=true hidden=true tabindex="-1" {onchange} />
            { for grid }
            <button type="button" class="kefu-tool kefu-faces-toggle" aria-label={t.faces} title={t.faces}
                aria-expanded={if *faces_open { "true" } else { "false" }} onclick={toggle}>
                {icons::smile()}
            </button>
            { for voice }
        </>
    }
}

/// A recording in progress.
struct Recording {
    recorder: MediaRecorder,
    _data: Closure<dyn FnMut(BlobEvent)>,
    _stop: Closure<dyn FnMut()>,
}

/// Whether this browser can record: `MediaRecorder` and `getUserMedia` exist.
fn can_record() -> bool {
    let Some(w) = web_sys::window() else {
        return false;
    };
    let has = |o: &JsValue, k: &str| js_sys::Reflect::has(o, &k.into()).unwrap_or(false);
    let devices = js_sys::Reflect::get(&w.navigator(), &"mediaDevices".into()).unwrap_or_default();
    has(&w, "MediaRecorder") && devices.is_object() && has(&devices, "getUserMedia")
}

/// Ask for the microphone and start recording; on stop, upload what was recorded.
async fn start(chat: ChatContext) -> Result<Recording, JsValue> {
    let devices = web_sys::window()
        .ok_or(JsValue::NULL)?
        .navigator()
        .media_devices()?;
    let constraints = web_sys::MediaStreamConstraints::new();
    constraints.set_audio(&JsValue::TRUE);
    let stream: MediaStream = wasm_bindgen_futures::JsFuture::from(
        devices.get_user_media_with_constraints(&constraints)?,
    )
    .await?
    .unchecked_into();
    let recorder = MediaRecorder::new_with_media_stream(&stream)?;
    let chunks = js_sys::Array::new();
    let data = {
        let chunks = chunks.clone();
        Closure::<dyn FnMut(BlobEvent)>::new(move |e: BlobEvent| {
            if let Some(b) = e.data() {
                chunks.push(&b);
            }
        })
    };
    let started = js_sys::Date::now();
    let stop = {
        let recorder = recorder.clone();
        let once = Rc::new(RefCell::new(Some(stream)));
        Closure::<dyn FnMut()>::new(move || {
            let Some(stream) = once.borrow_mut().take() else {
                return;
            };
            for track in stream.get_tracks() {
                track.unchecked_into::<web_sys::MediaStreamTrack>().stop();
            }
            let mime = recorder.mime_type();
            let options = web_sys::BlobPropertyBag::new();
            options.set_type(&mime);
            if let Ok(blob) = Blob::new_with_blob_sequence_and_options(&chunks, &options) {
                let name = match mime.split(';').next() {
                    Some("audio/mp4") => "voice.m4a",
                    Some("audio/ogg") => "voice.ogg",
                    _ => "voice.webm",
                };
                let ms = (js_sys::Date::now() - started).max(0.0) as u32;
                chat.controller.attach(blob, name.into(), Some(ms));
            }
        })
    };
    recorder.set_ondataavailable(Some(data.as_ref().unchecked_ref()));
    recorder.set_onstop(Some(stop.as_ref().unchecked_ref()));
    recorder.start()?;
    Ok(Recording {
        recorder,
        _data: data,
        _stop: stop,
    })
}

//! The composer's media controls ([`MediaTools`]): attach (paperclip and a file
//! input), faces (a grid of `kefu_protocol::FACES`) and voice (record a voice
//! message; only where `MediaRecorder` and `getUserMedia` exist).
//! [`attach_files`] sends a `FileList` from the input, a drop or a paste.

use super::{icons, with_attributes};
use crate::hooks::{use_chat, ChatContext};
use kefu_protocol::FACES;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{BlobEvent, FileList, HtmlInputElement, MediaRecorder, MediaStream};
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
/// its own copy of Yew's machinery):
/// - `label.kefu-attach`: the paperclip around a visually hidden (still
///   focusable) `input.kefu-file-input`;
/// - `button.kefu-faces-toggle` opening the `div.kefu-faces` popover (a native
///   popover: Esc and a click outside close it; a face closes it as it sends);
/// - `button.kefu-record` where the browser can record: the first click records
///   (after the permission prompt), the second stops and sends the recording as
///   a `sound` with its length.
#[component]
pub fn MediaTools() -> Html {
    let chat = use_chat();
    let t = chat.strings();
    let recording = use_state(|| false);
    let current = use_mut_ref(|| None::<Recording>);

    let onchange = {
        let chat = chat.clone();
        Callback::from(move |e: Event| {
            if let Some(el) = e.target_dyn_into::<HtmlInputElement>() {
                attach_files(&chat, el.files());
                el.set_value("");
            }
        })
    };
    // One listener for the whole grid: the face is the clicked button's `data-i`.
    let pick_face = {
        let chat = chat.clone();
        Callback::from(move |e: MouseEvent| {
            let face = e
                .target_dyn_into::<web_sys::Element>()
                .and_then(|el| el.get_attribute("data-i"))
                .and_then(|i| i.parse().ok());
            if let Some(i) = face {
                chat.controller.send_face(i);
            }
        })
    };
    let faces = FACES.iter().enumerate().map(|(i, face)| {
        html! {
            <button type="button" class="kefu-face-pick" data-i={i.to_string()} aria-label={*face}
                popovertarget="kefu-faces" popovertargetaction="hide">{*face}</button>
        }
    });
    let voice = can_record().then(|| {
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
        let class = match on {
            true => "kefu-tool kefu-record kefu-record--on",
            false => "kefu-tool kefu-record",
        };
        let button = html! { <button {onclick}>{icons::mic()}</button> };
        let pressed = if on { "true" } else { "false" };
        with_attributes(
            button,
            &["type", "class", "aria-label", "title", "aria-pressed"],
            [
                Some("button".into()),
                Some(class.into()),
                Some(label.into()),
                Some(label.into()),
                Some(pressed.into()),
            ],
        )
    });
    html! {
        <>
            <label class="kefu-tool kefu-attach" title={t.attach}>
                {icons::clip()}
                <input type="file" class="kefu-file-input" multiple=true aria-label={t.attach} {onchange} />
            </label>
            <button type="button" class="kefu-tool kefu-faces-toggle" aria-label={t.faces} title={t.faces}
                popovertarget="kefu-faces">
                {icons::smile()}
            </button>
            <div id="kefu-faces" class="kefu-faces" popover="auto" role="group" aria-label={t.faces} onclick={pick_face}>
                { for faces }
            </div>
            { for voice }
        </>
    }
}

/// A recording in progress.
struct Recording {
    recorder: MediaRecorder,
    _data: Closure<dyn FnMut(BlobEvent)>,
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
    let started = js_sys::Date::now();
    // Started without a timeslice, the recorder hands over the whole recording
    // in one `dataavailable`, when it stops.
    let data = Closure::<dyn FnMut(BlobEvent)>::new(move |e: BlobEvent| {
        for track in stream.get_tracks() {
            track.unchecked_into::<web_sys::MediaStreamTrack>().stop();
        }
        if let Some(blob) = e.data() {
            let name = match blob.type_().split(';').next() {
                Some("audio/mp4") => "voice.m4a",
                Some("audio/ogg") => "voice.ogg",
                _ => "voice.webm",
            };
            let ms = (js_sys::Date::now() - started).max(0.0) as u32;
            chat.controller.attach(blob, name.into(), Some(ms));
        }
    });
    recorder.set_ondataavailable(Some(data.as_ref().unchecked_ref()));
    recorder.start()?;
    Ok(Recording {
        recorder,
        _data: data,
    })
}

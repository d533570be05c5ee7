//! The visitor's uploads in flight, below the messages: an outgoing bubble with
//! the file name, a progress bar (`progress.kefu-progress`) and a cancel button;
//! a failed one shows its error, "Retry" (when trying again can help) and cancel.

use crate::hooks::ChatContext;
use crate::state::PendingUpload;
use kefu_protocol::file_name_for_display;
use yew::prelude::*;

/// One upload (`.kefu-msg.kefu-msg--uploading`, `data-status` `uploading` or
/// `failed`), keyed by its client ID. A function, not a component: each Yew
/// component type costs the widget its own copy of Yew's machinery.
pub fn upload_item(chat: &ChatContext, u: &PendingUpload) -> Html {
    let t = chat.strings();
    let cancel = {
        let (chat, id) = (chat.clone(), u.client_msg_id.clone());
        Callback::from(move |_: MouseEvent| chat.controller.cancel_upload(id.clone()))
    };
    let status = match u.error {
        None => {
            let known = u.total > 0;
            html! {
                <progress class="kefu-progress" aria-label={t.uploading}
                    max={known.then(|| u.total.to_string())} value={known.then(|| u.sent.to_string())} />
            }
        }
        Some(e) => {
            let retry = e.can_retry().then(|| {
                let (chat, id) = (chat.clone(), u.client_msg_id.clone());
                let onclick = Callback::from(move |_: MouseEvent| chat.controller.retry_upload(id.clone()));
                html! { <button type="button" class="kefu-resend kefu-retry" {onclick}>{t.retry}</button> }
            });
            html! { <><p class="kefu-upload-error" role="alert">{e.text(t)}</p>{ for retry }</> }
        }
    };
    html! {
        <div key={u.client_msg_id.to_string()} class="kefu-msg kefu-msg--out kefu-msg--uploading" data-flow="out"
            data-status={if u.error.is_some() { "failed" } else { "uploading" }}>
            <div class="kefu-bubble kefu-upload">
                <bdi class="kefu-file-name">{file_name_for_display(&u.name).into_owned()}</bdi>
                {status}
                <button type="button" class="kefu-upload-cancel" onclick={cancel}>{t.cancel}</button>
            </div>
        </div>
    }
}

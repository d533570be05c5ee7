//! Media input in the pane: [`attach_files`] (from the attach button, a drop or a
//! paste) and [`upload_rows`], this agent's uploads under the messages (the
//! widget's classes: an outgoing bubble with the name, `progress.kefu-progress`
//! and cancel; a failed one its error, "Retry" and cancel).

use crate::hooks::ConsoleContext;
use crate::i18n;
use crate::state::Thread;
use kefu_protocol::file_name_for_display;
use kefu_protocol::ConversationId;
use kefu_widget::i18n::strings_for;
use web_sys::FileList;
use yew::prelude::*;

/// Upload every file of `files` into `conv`.
pub fn attach_files(console: &ConsoleContext, conv: &ConversationId, files: Option<FileList>) {
    let Some(files) = files else { return };
    for i in 0..files.length() {
        if let Some(f) = files.get(i) {
            let name = f.name();
            console.controller.attach(conv.clone(), f.into(), name);
        }
    }
}

/// The thread's uploads in flight or failed.
pub fn upload_rows(console: &ConsoleContext, conv: &ConversationId, thread: &Thread) -> Html {
    let rows = thread.uploads.iter().map(|u| {
        let cancel = {
            let (c, conv, id) = (console.controller.clone(), conv.clone(), u.client_msg_id.clone());
            Callback::from(move |_: MouseEvent| c.cancel_upload(conv.clone(), id.clone()))
        };
        let status = match u.error {
            None => {
                let known = u.total > 0;
                html! {
                    <progress class="kefu-progress" aria-label={i18n::t().uploading}
                        max={known.then(|| u.total.to_string())} value={known.then(|| u.sent.to_string())} />
                }
            }
            Some(e) => {
                let retry = e.can_retry().then(|| {
                    let (c, conv, id) = (console.controller.clone(), conv.clone(), u.client_msg_id.clone());
                    let onclick = Callback::from(move |_: MouseEvent| c.retry_upload(conv.clone(), id.clone()));
                    html! { <button type="button" class="kefu-resend kefu-retry" {onclick}>{i18n::t().retry}</button> }
                });
                html! { <><p class="kefu-upload-error" role="alert">{e.text(strings_for(crate::i18n::current().tag()))}</p>{ for retry }</> }
            }
        };
        html! {
            <div key={u.client_msg_id.to_string()} class="kefu-msg kefu-msg--out kefu-msg--uploading"
                data-flow="out" data-status={if u.error.is_some() { "failed" } else { "uploading" }}>
                <div class="kefu-bubble kefu-upload">
                    <bdi class="kefu-file-name">{file_name_for_display(&u.name).into_owned()}</bdi>
                    {status}
                    <button type="button" class="kefu-upload-cancel" onclick={cancel}>{i18n::t().cancel}</button>
                </div>
            </div>
        }
    });
    html! { <>{ for rows }</> }
}

//! The visitor's uploads: the files behind [`crate::state::PendingUpload`]s (kept
//! for a retry) and their requests. Start: prepare (downscale, size check), POST
//! with the visitor token, progress into the state; done: the message goes out
//! with the client ID made at the start. Cancel drops the request (an abort).

use super::Controller;
use crate::state::Action;
use crate::upload::{self, prepare, Upload, UploadError};
use kefu_protocol::ClientMsgId;
use std::rc::Rc;
use web_sys::Blob;

/// One upload's file and, while it is being sent, its request.
pub struct HeldUpload {
    id: ClientMsgId,
    file: Blob,
    name: String,
    /// A voice message's length (ms).
    duration: Option<u32>,
    request: Option<Upload>,
}

impl Controller {
    /// Upload `file` as `name` and send it as a message (`duration` in ms for a
    /// recording).
    pub fn attach(self: &Rc<Self>, file: Blob, name: String, duration: Option<u32>) {
        let (id, now) = self.composer.next_id();
        self.dispatch(Action::UploadStart {
            client_msg_id: id.clone(),
            name: name.clone(),
            now,
        });
        self.held.borrow_mut().push(HeldUpload {
            id: id.clone(),
            file,
            name,
            duration,
            request: None,
        });
        self.run_upload(id);
    }

    /// Try a failed upload again (same client ID).
    pub fn retry_upload(self: &Rc<Self>, id: ClientMsgId) {
        self.dispatch(Action::UploadStart {
            client_msg_id: id.clone(),
            name: String::new(),
            now: 0,
        });
        self.run_upload(id);
    }

    /// Stop an upload (or dismiss a failed one): nothing is sent.
    pub fn cancel_upload(self: &Rc<Self>, id: ClientMsgId) {
        self.held.borrow_mut().retain(|h| h.id != id);
        self.dispatch(Action::UploadCancel(id));
    }

    /// Send the catalogue's face `index`.
    pub fn send_face(self: &Rc<Self>, index: u32) {
        let (client_msg_id, now) = self.composer.next_id();
        self.dispatch(Action::SendFace {
            index,
            client_msg_id,
            now,
        });
    }

    fn run_upload(self: &Rc<Self>, id: ClientMsgId) {
        let Some(file) = self.held_file(&id) else {
            return;
        };
        let weak = Rc::downgrade(self);
        wasm_bindgen_futures::spawn_local(async move {
            let limits = match weak.upgrade() {
                Some(c) => c.state().limits,
                None => return,
            };
            let prepared = prepare(file, limits).await;
            if let Some(c) = weak.upgrade() {
                let started = prepared.and_then(|blob| c.send_upload(&id, &blob));
                if let Err(error) = started {
                    c.dispatch(Action::UploadFailed {
                        client_msg_id: id,
                        error,
                    });
                }
            }
        });
    }

    /// POST the prepared `blob` for upload `id` (if it was not cancelled meanwhile).
    fn send_upload(self: &Rc<Self>, id: &ClientMsgId, blob: &Blob) -> Result<(), UploadError> {
        let Some(name) = self
            .held
            .borrow()
            .iter()
            .find(|h| &h.id == id)
            .map(|h| h.name.clone())
        else {
            return Ok(());
        };
        let state = self.state();
        let (Some(conversation), Some(token)) = (&state.conversation_id, &state.token) else {
            return Err(UploadError::Failed);
        };
        let url = upload::upload_url(&self.config.server, conversation.as_str());
        let limit = upload::limit_for(&blob.type_(), &state.limits);
        let (progress, done) = (Rc::downgrade(self), Rc::downgrade(self));
        let (pid, did) = (id.clone(), id.clone());
        let request = Upload::start(
            &url,
            token,
            blob,
            &name,
            limit,
            move |sent, total| {
                if let Some(c) = progress.upgrade() {
                    c.dispatch(Action::UploadProgress {
                        client_msg_id: pid.clone(),
                        sent: sent as u64,
                        total: total as u64,
                    });
                }
            },
            move |result| {
                if let Some(c) = done.upgrade() {
                    c.upload_finished(did, result);
                }
            },
        )?;
        if let Some(h) = self.held.borrow_mut().iter_mut().find(|h| &h.id == id) {
            h.request = Some(request);
        }
        Ok(())
    }

    fn upload_finished(
        self: &Rc<Self>,
        id: ClientMsgId,
        result: Result<upload::Uploaded, UploadError>,
    ) {
        match result {
            Ok(stored) => {
                let duration = {
                    let mut held = self.held.borrow_mut();
                    let at = held.iter().position(|h| h.id == id);
                    at.map(|at| held.remove(at)).and_then(|h| h.duration)
                };
                // A recording is a voice message whatever its container (Chromium
                // records WebM, which the server sniffs as video).
                let kind = match duration {
                    Some(_) => upload::UploadKind::Audio,
                    None => stored.kind,
                };
                self.dispatch(Action::UploadDone {
                    body: kind.body(&stored.id, duration),
                    client_msg_id: id,
                });
            }
            Err(error) => {
                if let Some(h) = self.held.borrow_mut().iter_mut().find(|h| h.id == id) {
                    h.request = None;
                }
                self.dispatch(Action::UploadFailed {
                    client_msg_id: id,
                    error,
                });
            }
        }
    }

    fn held_file(&self, id: &ClientMsgId) -> Option<Blob> {
        self.held
            .borrow()
            .iter()
            .find(|h| &h.id == id)
            .map(|h| h.file.clone())
    }
}

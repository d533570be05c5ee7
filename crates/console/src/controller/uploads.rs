//! This agent's uploads: the files (kept for a retry) and their requests, through
//! the widget's upload client (`kefu_widget::upload`: downscale, size check, XHR
//! with the agent token, same origin). Progress and results become
//! [`Action::Upload`] steps; a stored file is sent in its conversation.

use super::Controller;
use crate::state::{Action, UploadStep};
use kefu_protocol::{ClientMsgId, ConversationId};
use kefu_widget::upload::{self, prepare, Upload, UploadError, Uploaded};
use std::rc::Rc;
use web_sys::Blob;

/// One upload's file and, while it is being sent, its request.
pub struct HeldUpload {
    conv: ConversationId,
    id: ClientMsgId,
    file: Blob,
    name: String,
    request: Option<Upload>,
}

impl Controller {
    /// Upload `file` as `name` into conversation `conv` and send it there.
    pub fn attach(self: &Rc<Self>, conv: ConversationId, file: Blob, name: String) {
        let (id, now) = self.composer.next_id();
        self.step(
            &conv,
            &id,
            UploadStep::Start {
                name: name.clone(),
                now,
            },
        );
        self.held.borrow_mut().push(HeldUpload {
            conv,
            id: id.clone(),
            file,
            name,
            request: None,
        });
        self.run_upload(id);
    }

    /// Try a failed upload again (same client ID).
    pub fn retry_upload(self: &Rc<Self>, conv: ConversationId, id: ClientMsgId) {
        let start = UploadStep::Start {
            name: String::new(),
            now: 0,
        };
        self.step(&conv, &id, start);
        self.run_upload(id);
    }

    /// Stop an upload (or dismiss a failed one): nothing is sent.
    pub fn cancel_upload(self: &Rc<Self>, conv: ConversationId, id: ClientMsgId) {
        self.held.borrow_mut().retain(|h| h.id != id);
        self.step(&conv, &id, UploadStep::Cancel);
    }

    fn step(self: &Rc<Self>, conv: &ConversationId, id: &ClientMsgId, step: UploadStep) {
        self.dispatch(Action::Upload {
            conversation_id: conv.clone(),
            client_msg_id: id.clone(),
            step,
        });
    }

    fn run_upload(self: &Rc<Self>, id: ClientMsgId) {
        let Some((conv, file)) = self
            .held
            .borrow()
            .iter()
            .find(|h| h.id == id)
            .map(|h| (h.conv.clone(), h.file.clone()))
        else {
            return;
        };
        let weak = Rc::downgrade(self);
        wasm_bindgen_futures::spawn_local(async move {
            let Some(limits) = weak.upgrade().map(|c| c.state().limits) else {
                return;
            };
            let prepared = prepare(file, limits).await;
            if let Some(c) = weak.upgrade() {
                if let Err(e) = prepared.and_then(|blob| c.send_upload(&id, &blob)) {
                    c.step(&conv, &id, UploadStep::Failed(e));
                }
            }
        });
    }

    /// POST the prepared `blob` (unless the upload was cancelled meanwhile).
    fn send_upload(self: &Rc<Self>, id: &ClientMsgId, blob: &Blob) -> Result<(), UploadError> {
        let Some((conv, name)) = self
            .held
            .borrow()
            .iter()
            .find(|h| &h.id == id)
            .map(|h| (h.conv.clone(), h.name.clone()))
        else {
            return Ok(());
        };
        let state = self.state();
        let token = state.token.clone().ok_or(UploadError::Failed)?;
        let url = upload::upload_url("", conv.as_str());
        let limit = upload::limit_for(&blob.type_(), &state.limits);
        let (progress, done) = (Rc::downgrade(self), Rc::downgrade(self));
        let (pconv, pid, dconv, did) = (conv.clone(), id.clone(), conv, id.clone());
        let request = Upload::start(
            &url,
            &token,
            blob,
            &name,
            limit,
            move |sent, total| {
                if let Some(c) = progress.upgrade() {
                    let (sent, total) = (sent as u64, total as u64);
                    c.step(&pconv, &pid, UploadStep::Progress { sent, total });
                }
            },
            move |result| {
                if let Some(c) = done.upgrade() {
                    c.upload_finished(dconv, did, result);
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
        conv: ConversationId,
        id: ClientMsgId,
        result: Result<Uploaded, UploadError>,
    ) {
        let step = match result {
            Ok(stored) => {
                self.held.borrow_mut().retain(|h| h.id != id);
                UploadStep::Done(stored.kind.body(&stored.id, None))
            }
            Err(e) => {
                if let Some(h) = self.held.borrow_mut().iter_mut().find(|h| h.id == id) {
                    h.request = None;
                }
                UploadStep::Failed(e)
            }
        };
        self.step(&conv, &id, step);
    }
}

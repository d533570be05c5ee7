//! [`Upload`]: one multipart `POST` through `XMLHttpRequest` (the one browser API
//! that reports upload progress): part `file`, `Authorization: Bearer <token>`.
//! Dropping the [`Upload`] (or [`Upload::cancel`]) aborts it; an aborted upload
//! reports nothing.

use super::{parse_created, UploadError, Uploaded};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Blob, FormData, ProgressEvent, XmlHttpRequest};

type Done = Rc<RefCell<Option<Box<dyn FnOnce(Result<Uploaded, UploadError>)>>>>;

/// An upload in flight.
pub struct Upload {
    xhr: XmlHttpRequest,
    _progress: Closure<dyn FnMut(ProgressEvent)>,
    _end: Closure<dyn FnMut(web_sys::Event)>,
}

impl Upload {
    /// Start sending `blob` as `name` to `url`. `on_progress(sent, total)` follows
    /// the request body; `on_done` runs once, after the answer (never after a
    /// cancel). `limit` is what a 413 reports.
    pub fn start(
        url: &str,
        token: &str,
        blob: &Blob,
        name: &str,
        limit: u64,
        on_progress: impl Fn(f64, f64) + 'static,
        on_done: impl FnOnce(Result<Uploaded, UploadError>) + 'static,
    ) -> Result<Upload, UploadError> {
        let xhr = XmlHttpRequest::new().map_err(|_| UploadError::Failed)?;
        let form = FormData::new().map_err(|_| UploadError::Failed)?;
        form.append_with_blob_and_filename("file", blob, name)
            .map_err(|_| UploadError::Failed)?;
        xhr.open_with_async("POST", url, true)
            .map_err(|_| UploadError::Failed)?;
        let mut bearer = String::from("Bearer ");
        bearer.push_str(token);
        xhr.set_request_header("Authorization", &bearer)
            .map_err(|_| UploadError::Failed)?;

        let progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |e: ProgressEvent| {
            on_progress(e.loaded(), e.total());
        });
        let done: Done = Rc::new(RefCell::new(Some(Box::new(on_done))));
        let end = {
            let xhr = xhr.clone();
            Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
                let result = if e.type_() != "load" {
                    Err(UploadError::Failed)
                } else {
                    match xhr.status().unwrap_or(0) {
                        201 => {
                            parse_created(&xhr.response_text().ok().flatten().unwrap_or_default())
                        }
                        status => Err(UploadError::from_status(status, limit)),
                    }
                };
                if let Some(done) = done.borrow_mut().take() {
                    // Run outside this callback: `on_done` may drop this upload.
                    wasm_bindgen_futures::spawn_local(async move { done(result) });
                }
            })
        };
        if let Ok(upload) = xhr.upload() {
            upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
        }
        xhr.set_onload(Some(end.as_ref().unchecked_ref()));
        xhr.set_onerror(Some(end.as_ref().unchecked_ref()));
        xhr.send_with_opt_form_data(Some(&form))
            .map_err(|_| UploadError::Failed)?;
        Ok(Upload {
            xhr,
            _progress: progress,
            _end: end,
        })
    }

    /// Abort the request (the same as dropping it).
    pub fn cancel(self) {}
}

impl Drop for Upload {
    fn drop(&mut self) {
        self.xhr.set_onload(None);
        self.xhr.set_onerror(None);
        if let Ok(upload) = self.xhr.upload() {
            upload.set_onprogress(None);
        }
        let _ = self.xhr.abort();
    }
}

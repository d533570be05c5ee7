//! Setting or removing an avatar over HTTP with the agent's own token:
//! `PUT` (multipart `file`) or `DELETE` on `/api/v1/agent/avatar` for one's
//! own, on `/api/v1/sites/{site}/agents/{username}/avatar` for a member's.
//! Each step goes to the reducer as an [`AvatarStep`]; a refusal shows the
//! server's words (too large, not an image), anything else the console's.

use super::{api, Controller};
use crate::i18n;
use crate::state::avatar::{AvatarOf, AvatarStep};
use crate::state::Action;
use kefu_protocol::SiteId;
use serde_json::Value;
use std::rc::Rc;
use web_sys::{File, FormData};

impl Controller {
    /// Give `of` the picture `file`, or take theirs away (`None`).
    pub fn set_avatar(self: &Rc<Self>, of: AvatarOf, file: Option<File>) {
        self.dispatch(Action::Avatar(AvatarStep::Started(of.clone())));
        self.as_agent(move |site, token| async move {
            Action::Avatar(match run(&of, file.as_ref(), &site, &token).await {
                Ok(()) => AvatarStep::Done(of),
                Err(text) => AvatarStep::Failed(of, text),
            })
        });
    }
}

/// The request; the words to show when it did not go through.
async fn run(of: &AvatarOf, file: Option<&File>, site: &SiteId, token: &str) -> Result<(), String> {
    let url = match of {
        AvatarOf::Me => "/api/v1/agent/avatar".to_owned(),
        AvatarOf::Member(username) => format!("/api/v1/sites/{site}/agents/{username}/avatar"),
    };
    let failed = || i18n::t().avatar_failed.to_owned();
    let answer = match file {
        Some(file) => {
            let form = FormData::new().map_err(|_| failed())?;
            form.append_with_blob_and_filename("file", file, &file.name())
                .map_err(|_| failed())?;
            api::call_form("PUT", &url, &form, Some(token)).await
        }
        None => api::call("DELETE", &url, None, Some(token)).await,
    };
    let (status, text) = answer.map_err(|_| failed())?;
    if (200..300).contains(&status) {
        return Ok(());
    }
    // The status says it all (the server's words are English).
    match status {
        413 => return Err(i18n::t().avatar_too_large.to_owned()),
        415 => return Err(i18n::t().avatar_not_image.to_owned()),
        _ => {}
    }
    let json: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    Err(api::refusal(&json, i18n::t().avatar_failed))
}

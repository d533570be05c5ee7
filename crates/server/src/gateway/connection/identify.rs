//! `identify` (visitors only): the user and attributes the host page gave
//! (`kefu.setUser`, `kefu.setAttributes`), kept on the visitor for agents.
//! Values are normalized (over-long or non-flat ones dropped, never refused);
//! `user.hash` is checked against the site's identity secret in constant time;
//! agents get a fresh `visitor` when the visitor is queued or served. No answer.

use super::{Connection, FrameError, Step};
use crate::gateway::hello::Principal;
use crate::service;
use crate::store::{Side, SiteSetting};
use hmac::{Hmac, Mac};
use kefu_protocol::identify::{normalize_attributes, normalize_user};
use kefu_protocol::{ErrorCode, ProfileUser, VisitorUser};
use serde_json::{Map, Value};
use sha2::Sha256;
use subtle::ConstantTimeEq;

impl Connection {
    pub(super) async fn identify(
        &mut self,
        who: &Principal,
        user: Option<VisitorUser>,
        attributes: Option<Map<String, Value>>,
    ) -> Result<Step, FrameError> {
        if who.side != Side::Visitor {
            return Err(FrameError::new(
                ErrorCode::NotPermitted,
                "identify is for visitors",
            ));
        }
        let Some(id) = who.conversation.clone() else {
            return Ok(Step::Continue);
        };
        self.start(who).await?;
        let conversation = self.open(who, &id).await?;
        let user = match user.and_then(normalize_user) {
            Some(user) => {
                let secret = self
                    .state
                    .store
                    .site_setting(&who.site, SiteSetting::IdentitySecret)
                    .await?
                    .and_then(|json| serde_json::from_str::<String>(&json).ok());
                let verified = verified(secret.as_deref(), &user);
                Some(ProfileUser {
                    id: user.id,
                    name: user.name,
                    email: user.email,
                    avatar: user.avatar,
                    verified,
                })
            }
            None => None,
        };
        let attributes = normalize_attributes(attributes.unwrap_or_default());
        self.state
            .store
            .set_visitor_identity(&who.id, user.as_ref(), &attributes)
            .await?;
        if self.state.gateway.service {
            service::console::push_visitor_if_live(&self.state, &conversation).await?;
        }
        Ok(Step::Continue)
    }
}

/// True when the site has a secret and `hash` is the hex HMAC-SHA256 of `id`
/// under it (either case), compared in constant time.
fn verified(secret: Option<&str>, user: &VisitorUser) -> bool {
    let (Some(secret), Some(id), Some(hash)) = (secret, &user.id, &user.hash) else {
        return false;
    };
    if secret.is_empty() {
        return false;
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(id.as_bytes());
    let expected: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let given = hash.to_ascii_lowercase();
    bool::from(expected.as_bytes().ct_eq(given.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the fuzz target `client_frame`: with serde_json's default float
    /// parser a long decimal and its own shortest re-encoding (`2e68`) read as
    /// two different numbers, so an attribute changed on its way through.
    #[test]
    fn attribute_numbers_survive_decoding_and_encoding_exactly() {
        use kefu_protocol::{decode_client, encode, ClientFrame};
        let long = format!("2{}.5", "0".repeat(68));
        for n in [
            long.as_str(),
            "2e68",
            "0.1",
            "1.7976931348623157e308",
            "5e-324",
        ] {
            let text = format!(r#"{{"type":"identify","attributes":{{"n":{n}}}}}"#);
            let frame = decode_client(&text).expect("a valid identify");
            let again: ClientFrame = serde_json::from_str(&encode(&frame)).expect("re-encoded");
            assert_eq!(again, frame, "{n}");
            let ClientFrame::Identify { attributes, .. } = frame else {
                panic!("identify")
            };
            let kept = normalize_attributes(attributes.expect("attributes"));
            let stored = serde_json::to_string(&kept).expect("attributes serialise");
            let read: kefu_protocol::Attributes = serde_json::from_str(&stored).expect("read");
            assert_eq!(read, kept, "{n} as stored");
        }
    }

    #[test]
    fn hash_is_hex_hmac_of_the_id() {
        // printf 'u_1' | openssl dgst -sha256 -hmac 's3cret'
        let good = "2124c5bbfc9399a6fd645d8aa686568629260c66926771967239fddb96aa08ba";
        let user = |hash: &str| VisitorUser {
            id: Some("u_1".into()),
            hash: Some(hash.into()),
            ..VisitorUser::default()
        };
        assert!(verified(Some("s3cret"), &user(good)));
        assert!(verified(Some("s3cret"), &user(&good.to_uppercase())));
        assert!(!verified(Some("s3cret"), &user(&good[1..])));
        assert!(!verified(Some("other"), &user(good)));
        assert!(!verified(None, &user(good)));
        assert!(!verified(Some(""), &user(good)));
        let no_id = VisitorUser {
            id: None,
            ..user(good)
        };
        assert!(!verified(Some("s3cret"), &no_id));
    }
}

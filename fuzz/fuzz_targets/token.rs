//! Token verification (`TokenKeys::verify`, at every `hello` and on the upload
//! and agent routes) on any input.
//!
//! The input is tried three ways: as a token as it came (it must never verify:
//! nobody can sign without the key); as the claims JSON of a token signed with
//! the key (it verifies exactly when serde reads the claims and they have not
//! expired, and gives those claims); and with one character of that signed
//! token changed (it must no longer verify: neither the body nor the base64 of
//! the signature is malleable).

#![no_main]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use kefu_server::auth::{unix_now, Claims, TokenError, TokenKeys};
use libfuzzer_sys::fuzz_target;

const SECRET: &[u8] = b"fuzzing secret, thirty-two bytes";

fuzz_target!(|data: &[u8]| {
    let keys = TokenKeys::new(SECRET);
    if let Ok(text) = std::str::from_utf8(data) {
        assert_eq!(
            keys.verify(text),
            Err(TokenError::Invalid),
            "forged: {text:?}"
        );
    }
    let Some((&at, claims)) = data.split_first() else {
        return;
    };
    let body = URL_SAFE_NO_PAD.encode(claims);
    let token = format!("{body}.{}", keys.tag(&body));
    let verdict = keys.verify(&token);
    match serde_json::from_slice::<Claims>(claims) {
        Err(_) => assert_eq!(verdict, Err(TokenError::Invalid)),
        // The clock may tick between `verify` and here: right at expiry, either.
        Ok(c) if c.exp.abs_diff(unix_now()) <= 2 => {
            assert!(verdict == Ok(c) || verdict == Err(TokenError::Expired))
        }
        Ok(c) if c.exp <= unix_now() => assert_eq!(verdict, Err(TokenError::Expired)),
        Ok(c) => assert_eq!(verdict, Ok(c)),
    }
    let mut changed = token.clone().into_bytes();
    let i = usize::from(at) * changed.len() / 256;
    // Compared with the token's own character, not the last replacement's: putting
    // the original back (the `.` after an `A`) is no change, and it verifies.
    let original = changed[i];
    for replacement in [b'A', b'_', b'.', b'='] {
        if original == replacement {
            continue;
        }
        changed[i] = replacement;
        let changed = String::from_utf8(changed.clone()).expect("ASCII");
        assert_eq!(
            keys.verify(&changed),
            Err(TokenError::Invalid),
            "{changed} verifies"
        );
    }
});

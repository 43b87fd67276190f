//! Values the server hands out and takes back later without storing them (form tokens,
//! trusted-device cookies): the payload travels with its HMAC-SHA256 under the instance's key.

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

fn mac(key: &[u8], purpose: &str, payload: &str) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes keys of any length");
    // The purpose keeps a value signed for one use from being accepted for another.
    mac.update(purpose.as_bytes());
    mac.update(b"\0");
    mac.update(payload.as_bytes());
    mac
}

/// `payload.signature` (signature in lowercase hex); `payload` may contain any character but
/// a line break.
pub fn sign(key: &[u8], purpose: &str, payload: &str) -> String {
    let signature = mac(key, purpose, payload).finalize().into_bytes();
    format!("{payload}.{}", super::hex::hex(&signature))
}

/// The payload of a value [`sign`] made with the same key and purpose; `None` for anything else.
/// The comparison takes the same time however much of the signature matches.
pub fn verify<'t>(key: &[u8], purpose: &str, signed: &'t str) -> Option<&'t str> {
    let (payload, hex) = signed.rsplit_once('.')?;
    if hex.len() != 64 || !hex.is_ascii() {
        return None;
    }
    let bytes: Vec<u8> = (0..32)
        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok())
        .collect::<Option<_>>()?;
    mac(key, purpose, payload)
        .verify_slice(&bytes)
        .ok()
        .map(|()| payload)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn only_the_same_key_and_purpose_verify() {
        let signed = sign(b"key", "form", "event:42:1700000000");
        assert_eq!(verify(b"key", "form", &signed), Some("event:42:1700000000"));
        assert_eq!(verify(b"other", "form", &signed), None);
        assert_eq!(verify(b"key", "device", &signed), None);
        assert_eq!(verify(b"key", "form", "event:42:1700000000"), None);
        assert_eq!(verify(b"key", "form", ""), None);
        assert_eq!(verify(b"key", "form", "a.zz"), None);
    }

    proptest! {
        #[test]
        fn any_change_to_payload_or_signature_is_refused(
            payload in "[ -~]{0,40}",
            position in 0usize..200,
            replacement in "[0-9a-z.:]",
        ) {
            let signed = sign(b"k", "p", &payload);
            prop_assert_eq!(verify(b"k", "p", &signed), Some(payload.as_str()));
            let mut chars: Vec<char> = signed.chars().collect();
            let at = position % chars.len();
            let new = replacement.chars().next().unwrap();
            prop_assume!(chars[at] != new);
            chars[at] = new;
            let tampered: String = chars.into_iter().collect();
            prop_assert_eq!(verify(b"k", "p", &tampered), None);
        }
    }
}

//! The share link: the page address with `#system=` and the system's compact JSON, percent-encoded, in the
//! fragment (which the browser never sends to any server). Pure text in and out, so it is tested and fuzzed
//! natively; the web only reads and writes `location`.
//!
//! The encoding is the one of the browser's `encodeURIComponent` (every byte but the unreserved characters
//! `A–Z a–z 0–9 - _ . ! ~ * ' ( )` as `%XX` of its UTF-8), so links made by earlier builds, which called the
//! browser's own function, read the same; decoding accepts what `decodeURIComponent` accepts.
use crate::document::{Document, DocumentError};
use alloc::string::String;
use alloc::vec::Vec;

/// The URL fragment that carries a shared system.
pub const SHARE_PREFIX: &str = "#system=";

/// The fragment, `#system=` included, that carries `doc`.
pub fn fragment(doc: &Document) -> String {
    let mut out = String::from(SHARE_PREFIX);
    percent_encode_into(&doc.to_json(), &mut out);
    out
}

/// The system in a page's fragment (`location.hash`, `#` included): `None` when the fragment is not a share
/// link at all, otherwise the system or why it cannot be read. Never panics on any text.
pub fn from_fragment(hash: &str) -> Option<Result<Document, DocumentError>> {
    hash.strip_prefix(SHARE_PREFIX).map(decode)
}

/// The system in the part of a link after `#system=`.
pub fn decode(encoded: &str) -> Result<Document, DocumentError> {
    let json = percent_decode(encoded)?;
    Document::from_json(&json)
}

/// `encodeURIComponent`: UTF-8 bytes outside the unreserved set as `%XX` (upper-case hex).
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3 / 2);
    percent_encode_into(text, &mut out);
    out
}

fn percent_encode_into(text: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0F)]));
        }
    }
}

/// `decodeURIComponent`: every `%XX` becomes its byte and the result must be UTF-8; anything else is kept as it
/// is. A `%` without two hex digits, or bytes that are not UTF-8, are a [`DocumentError::DamagedLink`] at that
/// character (counted from 1).
pub fn percent_decode(encoded: &str) -> Result<String, DocumentError> {
    let bytes = encoded.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b != b'%' {
            out.push(b);
            i += 1;
            continue;
        }
        let hex = |j: usize| bytes.get(j).and_then(|c| char::from(*c).to_digit(16));
        match (hex(i + 1), hex(i + 2)) {
            (Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            _ => {
                return Err(DocumentError::DamagedLink {
                    at: char_position(encoded, i),
                })
            }
        }
    }
    String::from_utf8(out).map_err(|e| {
        // Where the bad bytes start in the decoded text, mapped back onto the link: count the link's characters
        // up to the escape that produced that byte.
        let bad = e.utf8_error().valid_up_to();
        DocumentError::DamagedLink {
            at: char_position(encoded, encoded_offset(bytes, bad)),
        }
    })
}

/// The offset in the encoded bytes of the `n`-th decoded byte.
fn encoded_offset(bytes: &[u8], n: usize) -> usize {
    let (mut i, mut produced) = (0, 0);
    while produced < n && i < bytes.len() {
        i += if bytes.get(i) == Some(&b'%') { 3 } else { 1 };
        produced += 1;
    }
    i.min(bytes.len())
}

/// 1-based character position of byte offset `at` in `text`.
fn char_position(text: &str, at: usize) -> usize {
    text.char_indices().take_while(|(i, _)| *i < at).count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_is_encode_uri_component() {
        // The browser's encodeURIComponent of this text (Chromium 131).
        assert_eq!(
            percent_encode("{\"a\":\"b c/é€\"}-_.!~*'()"),
            "%7B%22a%22%3A%22b%20c%2F%C3%A9%E2%82%AC%22%7D-_.!~*'()"
        );
        assert_eq!(
            percent_decode("%7b%22a%22%3A%22b%20c%2F%C3%A9%E2%82%AC%22%7D"),
            Ok("{\"a\":\"b c/é€\"}".into())
        );
        assert_eq!(percent_decode("plain é"), Ok("plain é".into()));
    }

    #[test]
    fn a_link_round_trips() {
        let doc = Document::default();
        let f = fragment(&doc);
        assert!(f.starts_with("#system=%7B%22version%22%3A"));
        assert_eq!(from_fragment(&f), Some(Ok(doc)));
        assert_eq!(from_fragment("#other"), None);
        assert_eq!(from_fragment(""), None);
    }

    #[test]
    fn damaged_links_say_where() {
        assert_eq!(
            percent_decode("ab%4"),
            Err(DocumentError::DamagedLink { at: 3 })
        );
        assert_eq!(
            percent_decode("é%zz"),
            Err(DocumentError::DamagedLink { at: 2 })
        );
        assert_eq!(
            percent_decode("%"),
            Err(DocumentError::DamagedLink { at: 1 })
        );
        // A lone continuation byte, and a truncated two-byte sequence.
        assert_eq!(
            percent_decode("x%80"),
            Err(DocumentError::DamagedLink { at: 2 })
        );
        assert_eq!(
            percent_decode("xy%C3"),
            Err(DocumentError::DamagedLink { at: 3 })
        );
        // An encoded surrogate (decodeURIComponent refuses it too).
        assert_eq!(
            percent_decode("%ED%A0%80"),
            Err(DocumentError::DamagedLink { at: 1 })
        );
        assert!(matches!(
            from_fragment("#system=%7B%22version"),
            Some(Err(DocumentError::Syntax { .. }))
        ));
        assert!(matches!(
            from_fragment("#system=%7B%22version%22%3A1%7D%"),
            Some(Err(DocumentError::DamagedLink { at: 24 }))
        ));
    }
}

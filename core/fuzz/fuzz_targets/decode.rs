//! Feeds arbitrary bytes through every public Instant Readout entry point: header, key check, AES-CTR, each
//! record decoder, the JSON view, and the text parsers. Any panic is a bug (decode must be total).
#![no_main]

use libfuzzer_sys::fuzz_target;
use smallbms_core::readout::{decode, decode_record, identify, parse_hex, parse_key, RecordType};

fuzz_target!(|data: &[u8]| {
    let _ = identify(data);
    let _ = decode(data, None).map(|r| r.to_json());
    // The first 16 bytes as the key, the rest as the payload.
    let Some((key, payload)) = data.split_first_chunk::<16>() else {
        return;
    };
    let _ = decode(payload, Some(key)).map(|r| r.to_json());
    // Again with a valid prefix and matching key byte, so random bytes reach decryption and the record decoders.
    let mut forced = payload.to_vec();
    if let (Some(first), Some(_)) = (forced.first_mut(), payload.get(7)) {
        *first = 0x10;
        if let Some(b7) = forced.get_mut(7) {
            *b7 = if payload.get(4) == Some(&0xFF) {
                *b7
            } else {
                key[0]
            };
        }
        let _ = decode(&forced, Some(key)).map(|r| r.to_json().to_string());
    }
    if let Some(([hi, lo], body)) = payload.split_first_chunk::<2>() {
        let _ =
            decode_record(RecordType(u16::from_be_bytes([*hi, *lo])), body).map(|r| r.to_json());
    }
    if let Ok(text) = core::str::from_utf8(data) {
        let _ = parse_hex(text);
        let _ = parse_key(text);
    }
});

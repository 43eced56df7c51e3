//! Wrong keys, truncated and over-long inputs: every public decode path answers `Ok` or a typed error and
//! never panics, and a shorter record never changes the fields it still contains (ble.md §1.4).
#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use smallbms_core::readout::{
    decode, decode_record, decrypt, identify, parse_header, parse_hex, parse_key, Part,
    ReadoutError, Record, RecordType,
};

const REPO_COPY: &str = include_str!("data/instant-readout.json");

struct Vec_ {
    record_type: RecordType,
    key: Option<[u8; 16]>,
    payload: Option<Vec<u8>>,
    decrypted: Option<Vec<u8>>,
    kind: String,
}

fn vectors() -> Vec<Vec_> {
    let all: Value = serde_json::from_str(REPO_COPY).unwrap();
    all.as_array()
        .unwrap()
        .iter()
        .map(|v| {
            let hex = |k: &str| v[k].as_str().map(|h| parse_hex(h).unwrap());
            let rt = v["record_type"].as_str().unwrap().trim_start_matches("0x");
            Vec_ {
                record_type: RecordType(u16::from_str_radix(rt, 16).unwrap()),
                key: v["key_hex"].as_str().map(|k| parse_key(k).unwrap()),
                payload: hex("payload_hex"),
                decrypted: hex("decrypted_hex"),
                kind: v["kind"].as_str().unwrap().to_string(),
            }
        })
        .collect()
}

fn good_advertisements() -> impl Iterator<Item = (Vec<u8>, [u8; 16])> {
    vectors()
        .into_iter()
        .filter_map(|v| match (v.kind.as_str(), v.payload, v.key) {
            ("advertisement", Some(p), Some(k)) if p.get(7) == Some(&k[0]) => Some((p, k)),
            _ => None,
        })
}

#[test]
fn wrong_key_is_rejected_with_both_key_bytes() {
    let mut n = 0;
    for (payload, key) in good_advertisements() {
        let mut wrong = key;
        wrong[0] ^= 0x5A;
        let err = decode(&payload, Some(&wrong)).unwrap_err();
        assert_eq!(
            err,
            ReadoutError::KeyMismatch {
                advertised: key[0],
                yours: wrong[0]
            }
        );
        let msg = err.to_string();
        assert!(msg.starts_with("wrong or changed key"), "{msg}");
        assert!(
            msg.contains(&format!("0x{:02X}", key[0])) && msg.contains("VictronConnect"),
            "{msg}"
        );
        // Byte 7 is the only check the protocol has: a key that shares the first byte decrypts to other
        // bytes without an error.
        let mut same_first = key;
        same_first[15] ^= 1;
        let good = decrypt(&payload, Some(&key)).unwrap();
        let other = decrypt(&payload, Some(&same_first)).unwrap();
        assert_ne!(good.plaintext, other.plaintext);
        assert_eq!(
            decode(&payload, None).unwrap_err(),
            ReadoutError::KeyRequired {
                record_type: good.header.record_type
            }
        );
        n += 1;
    }
    assert!(n >= 15, "only {n} advertisements with keys");
}

#[test]
fn every_prefix_of_every_advertisement_is_handled() {
    for v in vectors() {
        let Some(p) = v.payload else { continue };
        for len in 0..=p.len() {
            let prefix = &p[..len];
            let result = decode(prefix, v.key.as_ref());
            let header = parse_header(prefix);
            let _ = identify(prefix);
            match len {
                0 => assert_eq!(result.unwrap_err(), ReadoutError::Empty),
                1..=7 => assert_eq!(
                    header.unwrap_err(),
                    ReadoutError::Truncated {
                        part: Part::Header,
                        needed: 8,
                        got: len
                    }
                ),
                _ => {
                    assert!(header.is_ok());
                    if v.key.is_some_and(|k| Some(&k[0]) == p.get(7)) {
                        match result {
                            Ok(r) => assert!(len > 8 && r.plaintext.len() == len - 8),
                            Err(e) => assert_eq!(
                                e,
                                ReadoutError::Truncated {
                                    part: Part::Record(v.record_type),
                                    needed: 1,
                                    got: 0
                                }
                            ),
                        }
                    }
                }
            }
            if let Ok(r) = decode(prefix, v.key.as_ref()) {
                let _ = r.to_json().to_string();
            }
        }
    }
}

/// Our JSON fields that are derived from a record-wide default rather than read field by field, so a prefix
/// may legitimately show a value where the full record shows another.
const NOT_POSITIONAL: &[&str] = &["io_other_bits", "alarms"];

#[test]
fn a_prefix_never_changes_a_field_it_still_contains() {
    let mut compared = 0;
    for v in vectors() {
        let Some(full_bytes) = v.decrypted else {
            continue;
        };
        let full = decode_record(v.record_type, &full_bytes).unwrap().to_json();
        for len in 0..full_bytes.len() {
            let Ok(part) = decode_record(v.record_type, &full_bytes[..len]) else {
                assert_eq!(len, 0, "only an empty record is an error");
                continue;
            };
            let (Value::Object(part), Value::Object(full)) = (part.to_json(), &full) else {
                continue;
            };
            for (k, pv) in &part {
                if pv.is_null() || NOT_POSITIONAL.contains(&k.as_str()) || k == "raw_hex" {
                    continue;
                }
                // Cell lists: each present cell must match.
                if let (Value::Array(pa), Some(Value::Array(fa))) = (pv, full.get(k)) {
                    for (p, f) in pa.iter().zip(fa) {
                        assert!(p.is_null() || p == f, "{k}: {p} vs {f}");
                    }
                    continue;
                }
                assert_eq!(
                    Some(pv),
                    full.get(k),
                    "record {} field {k} at {len} bytes",
                    v.record_type
                );
                compared += 1;
            }
        }
    }
    assert!(compared > 1000, "only {compared} comparisons");
}

#[test]
fn bytes_after_the_documented_layout_are_ignored() {
    for v in vectors() {
        let Some(d) = v.decrypted else { continue };
        let base = decode_record(v.record_type, &d).unwrap();
        for fill in [0x00u8, 0xFF, 0xA5] {
            let mut long = d.clone();
            long.resize(d.len().max(16) + 48, fill);
            let longer = decode_record(v.record_type, &long).unwrap();
            // Raw-byte records carry the extra bytes by design; every decoded layout ignores them as long as
            // the original already held every documented field.
            match (&base, &longer) {
                (Record::SmartBms { .. }, _) | (Record::Unknown { .. }, _) => {}
                _ if d.len() >= 16 => assert_eq!(base, longer, "record {}", v.record_type),
                _ => {}
            }
        }
    }
    for (payload, key) in good_advertisements() {
        let short = decode(&payload, Some(&key)).unwrap();
        let mut long = payload.clone();
        long.extend(std::iter::repeat_n(0x00, 40));
        let long = decode(&long, Some(&key)).unwrap();
        assert_eq!(
            long.plaintext[..short.plaintext.len()],
            short.plaintext[..],
            "CTR is a stream cipher"
        );
        // Real captures already carry every documented field, so the record is unchanged.
        assert_eq!(short.record, long.record);
    }
}

#[test]
fn huge_and_odd_inputs_do_not_panic() {
    let key = [0xAB; 16];
    let mut huge = vec![0x10, 0x00, 0x89, 0xA3, 0x0A, 0x01, 0x00, 0xAB];
    huge.resize(1 << 20, 0x5A);
    assert!(decode(&huge, Some(&key)).is_ok());
    for rt in (0..=0x10).chain([0xFF]) {
        let mut p = vec![0x10, 0x00, 0x00, 0x00, rt, 0x00, 0x00, 0xAB];
        p.extend([0xFF; 3]);
        let _ = decode(&p, Some(&key)).map(|r| r.to_json());
    }
    assert_eq!(
        decode(&[0xE1, 0x02, 0x10], None).unwrap_err(),
        ReadoutError::CompanyIdIncluded
    );
    assert_eq!(
        decode(&[0x11; 20], None).unwrap_err(),
        ReadoutError::NotProductAdvertisement { first_byte: 0x11 }
    );
    for rt in [0u16, 0x0A, 0x0E, 0x42, 0xFF01, 0xFFFF] {
        assert!(decode_record(RecordType(rt), &[]).is_err());
        assert!(decode_record(RecordType(rt), &[0xFF; 64]).is_ok());
    }
}

#[test]
fn error_messages_say_what_to_do() {
    let cases = [
        (ReadoutError::Empty, "company id 0x02E1"),
        (ReadoutError::CompanyIdIncluded, "drop the first two bytes"),
        (ReadoutError::NotProductAdvertisement { first_byte: 0x11 }, "0x11"),
        (ReadoutError::Truncated { part: Part::Header, needed: 8, got: 5 }, "5 bytes"),
        (ReadoutError::Truncated { part: Part::Record(RecordType::BMS), needed: 1, got: 0 }, "(Lynx Smart) BMS"),
        (ReadoutError::KeyRequired { record_type: RecordType::BMS }, "32 hex digits"),
        (
            ReadoutError::KeyMismatch { advertised: 0xC1, yours: 0x3F },
            "wrong or changed key: the advertisement was made with a key starting 0xC1, yours starts 0x3F. \
             Copy the key again from VictronConnect → Product info → Instant readout details.",
        ),
    ];
    for (err, needle) in cases {
        let msg = err.to_string();
        assert!(msg.contains(needle), "{msg:?} lacks {needle:?}");
    }
}

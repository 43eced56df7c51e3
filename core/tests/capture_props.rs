//! Property tests of the capture format (core/src/capture.rs): whatever a Live view writes reads back equal, and
//! any bytes or text give a capture or an error naming the line, never a panic. proptest is native-only.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use smallbms_core::capture::{Capture, CaptureRecord, MAX_TIME_MS};
use smallbms_core::lang::{Lang, Localized};
use std::collections::BTreeMap;

fn address() -> impl Strategy<Value = String> {
    // MAC addresses and Web Bluetooth's opaque ids (base64: letters, digits, + / =).
    prop_oneof!["[0-9A-F]{2}(:[0-9A-F]{2}){5}", "[A-Za-z0-9+/=]{1,64}",]
        .prop_filter("not a comment or keyword", |a| {
            !a.starts_with('#') && a != "name" && a != "key"
        })
}

fn record(addresses: Vec<String>) -> impl Strategy<Value = CaptureRecord> {
    (
        0..=MAX_TIME_MS,
        proptest::sample::select(addresses),
        proptest::collection::vec(any::<u8>(), 1..=40),
        proptest::option::of(any::<i8>()),
    )
        .prop_map(|(t_ms, address, payload, rssi)| CaptureRecord {
            t_ms,
            address,
            payload,
            rssi,
        })
}

fn capture() -> impl Strategy<Value = Capture> {
    proptest::collection::vec(address(), 1..5).prop_flat_map(|addrs| {
        let names = proptest::collection::btree_map(
            proptest::sample::select(addrs.clone()),
            "[A-Za-z0-9][A-Za-z0-9 ()/.-]{0,40}[A-Za-z0-9)]",
            0..3,
        );
        let keys = proptest::collection::btree_map(
            proptest::sample::select(addrs.clone()),
            "[0-9a-f]{32}",
            0..3,
        );
        let records = proptest::collection::vec(record(addrs), 0..40);
        (names, keys, records).prop_map(|(names, keys, records)| Capture {
            names,
            keys,
            records,
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn written_captures_read_back_equal(c in capture()) {
        let text = c.to_text();
        let back = Capture::parse(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(&back, &c);
        // And again from the bytes, the way a browser file arrives.
        prop_assert_eq!(Capture::parse_bytes(text.as_bytes()).unwrap(), c);
    }

    #[test]
    fn any_bytes_give_a_capture_or_an_error(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        match Capture::parse_bytes(&bytes) {
            Ok(c) => { let _ = Capture::parse(&c.to_text()).unwrap(); }
            Err(e) => {
                prop_assert!(!e.to_string().is_empty());
                prop_assert!(!e.in_lang(Lang::Fr).to_string().is_empty());
            }
        }
    }

    #[test]
    fn any_text_after_the_header_gives_a_capture_or_an_error(body in "(\\PC{0,30}\n){0,12}") {
        let text = format!("smallbms-capture 1\n{body}");
        if let Err(e) = Capture::parse(&text) {
            prop_assert!(e.line >= 2, "{e:?}");
        }
    }

    #[test]
    fn names_with_line_breaks_stay_on_one_line(name in "\\PC{0,20}[\n\r\t ]\\PC{0,20}") {
        let mut c = Capture { names: BTreeMap::new(), ..Capture::default() };
        c.names.insert("AA".into(), name);
        // Whatever the name holds, the written file parses (the break became a space).
        prop_assert!(Capture::parse(&c.to_text()).is_ok());
    }
}

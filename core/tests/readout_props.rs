//! Property tests: the 0x0A encoder round-trips through the decoder, and no byte string makes any decode path
//! panic. proptest is native-only.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use smallbms_core::readout::{
    decode, decode_record, encode_bms, encode_bms_plaintext, AlarmLevel, BmsAlarms, BmsError,
    BmsRecord, Record, RecordType, IO_OTHER_MASK,
};
use smallbms_core::units::{DeciCelsius, MilliampHours, Milliamps, Millivolts, Permille};

fn level() -> impl Strategy<Value = Option<AlarmLevel>> {
    prop_oneof![
        Just(None),
        Just(Some(AlarmLevel::Ok)),
        Just(Some(AlarmLevel::Warning)),
        Just(Some(AlarmLevel::Alarm))
    ]
}

fn alarms() -> impl Strategy<Value = BmsAlarms> {
    (
        [
            level(),
            level(),
            level(),
            level(),
            level(),
            level(),
            level(),
            level(),
        ],
        0u8..=3,
    )
        .prop_map(|([a, b, c, d, e, f, g, h], bits_14_15)| BmsAlarms {
            low_cell_voltage: a,
            high_current: b,
            high_internal_temperature: c,
            contactor: d,
            bms_cable: e,
            load_disconnect: f,
            low_soc: g,
            bits_14_15,
            high_temperature: h,
        })
}

/// Records whose values lie on the wire grid and inside each field's range (the encoder rounds and saturates
/// anything else; encode.rs tests that).
fn bms_record() -> impl Strategy<Value = BmsRecord> {
    (
        (
            any::<u8>(),
            proptest::option::of(0u16..=0xFFFE),
            proptest::option::of(-32_768i32..=32_766),
            proptest::option::of(-32_768i32..=32_766),
        ),
        (
            proptest::option::of(any::<bool>()),
            proptest::option::of(any::<bool>()),
            proptest::option::of(any::<bool>()),
            any::<u16>(),
        ),
        (
            alarms(),
            proptest::option::of(0u16..=0x3FE),
            proptest::option::of(0i64..=0xF_FFFE),
            proptest::option::of(-40i16..=86),
        ),
    )
        .prop_map(
            |((error, ttg, v, i), (atc, atd, relay, io), (alarms, soc, cah, t))| BmsRecord {
                error: BmsError(error),
                time_to_go_min: ttg,
                battery_voltage: v.map(|v| Millivolts(v * 10)),
                battery_current: i.map(|i| Milliamps(i * 100)),
                allowed_to_charge: atc,
                allowed_to_discharge: atd,
                external_relay: relay,
                io_other_bits: io & IO_OTHER_MASK,
                alarms,
                soc: soc.map(Permille),
                consumed: cah.map(|c| MilliampHours(-c * 100)),
                battery_temperature: t.map(|t| DeciCelsius(t * 10)),
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3_000, ..ProptestConfig::default() })]

    #[test]
    fn bms_encode_decode_round_trip(r in bms_record(), model in any::<u16>(), nonce in any::<u16>(), key in any::<[u8; 16]>()) {
        let payload = encode_bms(&r, model, nonce, &key);
        prop_assert_eq!(payload.len(), 24);
        let back = decode(&payload, Some(&key)).unwrap();
        prop_assert_eq!(back.header.model_id, model);
        prop_assert_eq!(back.header.nonce, nonce);
        prop_assert_eq!(back.header.record_type, RecordType::BMS);
        let plain = encode_bms_plaintext(&r);
        prop_assert_eq!(back.plaintext.as_slice(), plain.as_slice());
        prop_assert_eq!(back.plaintext[15] & 0x80, 0x80, "unused bit 127 is set");
        prop_assert_eq!(back.record, Record::Bms(r));
    }

    #[test]
    fn decode_of_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..48), key in any::<[u8; 16]>()) {
        if let Ok(r) = decode(&bytes, Some(&key)) {
            let _ = r.to_json();
        }
        let _ = decode(&bytes, None);
    }

    /// Arbitrary bytes behind a valid header, so every record decoder runs on noise.
    #[test]
    fn every_record_decoder_survives_noise(
        rt in prop_oneof![0u8..=0x10, Just(0xFFu8)],
        sub in any::<u8>(),
        body in proptest::collection::vec(any::<u8>(), 0..40),
        key in any::<[u8; 16]>(),
    ) {
        let mut p = vec![0x10, 0x02, 0x89, 0xA3, rt, 0x34, 0x12, if rt == 0xFF { sub } else { key[0] }];
        p.extend(&body);
        match decode(&p, Some(&key)) {
            Ok(r) => { let _ = r.to_json().to_string(); }
            Err(e) => { let _ = e.to_string(); prop_assert!(body.is_empty(), "{}", e); }
        }
    }

    #[test]
    fn decode_record_never_panics(rt in any::<u16>(), body in proptest::collection::vec(any::<u8>(), 0..40)) {
        match decode_record(RecordType(rt), &body) {
            Ok(r) => { let _ = r.to_json(); prop_assert_eq!(r.record_type(), RecordType(rt)); }
            Err(_) => prop_assert!(body.is_empty()),
        }
    }
}

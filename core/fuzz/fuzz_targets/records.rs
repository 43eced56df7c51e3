//! Every Instant Readout record type's decoder on any bytes: the first byte picks the record type (each of the
//! documented types, or any 16-bit type), the rest is the record. The same bytes also go through a plaintext
//! advertisement (header + byte 4 = 0xFF) and, for 0x0A, the encoder: what decodes must encode and decode again
//! to the same record.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smallbms_core::readout::{
    decode, decode_record, encode_bms_plaintext, BmsRecord, Record, RecordType,
};

const TYPES: [RecordType; 17] = [
    RecordType::TEST,
    RecordType::SOLAR_CHARGER,
    RecordType::BATTERY_MONITOR,
    RecordType::INVERTER,
    RecordType::DCDC_CONVERTER,
    RecordType::SMART_LITHIUM,
    RecordType::INVERTER_RS,
    RecordType::GX_DEVICE,
    RecordType::AC_CHARGER,
    RecordType::SMART_BATTERY_PROTECT,
    RecordType::BMS,
    RecordType::MULTI_RS,
    RecordType::VE_BUS,
    RecordType::DC_ENERGY_METER,
    RecordType::SMART_BMS,
    RecordType::ORION_XS,
    RecordType::SOLAR_SENSE,
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let (record_type, body) = match TYPES.get(usize::from(pick)) {
        Some(t) => (*t, rest),
        None => match rest.split_first_chunk::<2>() {
            Some((t, body)) => (RecordType(u16::from_be_bytes(*t)), body),
            None => return,
        },
    };
    let _ = record_type.name();
    let _ = record_type.title();
    if let Ok(record) = decode_record(record_type, body) {
        assert_eq!(record.record_type(), record_type);
        let json = record.to_json();
        let _ = json.to_string();
        if let Record::Bms(r) = &record {
            bms_round_trip(r);
            // The record as the command line's --encode-bms reads it back.
            let _ = BmsRecord::from_json(&json);
        }
    }
    // The same record in a plaintext advertisement: byte 4 = 0xFF, byte 7 = the low byte of a 0xFFxx type.
    if record_type.0 >> 8 == 0xFF {
        let mut ad = vec![
            0x10,
            pick,
            0x00,
            0xA3,
            0xFF,
            0x00,
            0x00,
            record_type.0 as u8,
        ];
        ad.extend_from_slice(body);
        if let Ok(r) = decode(&ad, None) {
            assert_eq!(r.record.record_type(), record_type);
            let _ = r.to_json().to_string();
        }
    }
});

/// A decoded 0x0A record lies on the wire grid, so the encoder must reproduce it exactly.
fn bms_round_trip(r: &BmsRecord) {
    let bytes = encode_bms_plaintext(r);
    match decode_record(RecordType::BMS, &bytes) {
        Ok(Record::Bms(again)) => assert_eq!(&again, r, "0x0A re-encoded as {bytes:02X?}"),
        other => panic!("0x0A re-encoded as {bytes:02X?} decodes to {other:?}"),
    }
}

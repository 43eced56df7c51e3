//! Encoder for record 0x0A, so the simulated smallBMS NG broadcasts what a real one would: the same header,
//! layout and cipher the decoder reads (bms.rs has the layout table; ble.md §1.2, §1.3, §2 0x0A).
//!
//! Values are rounded to the wire step (10 mV, 100 mA, 0.1 Ah, 1 °C) and saturated at the field's range,
//! never onto its "not available" code: a simulated value that does not fit still shows as the nearest one.
use alloc::vec::Vec;

use super::bits::put;
use super::bms::BmsRecord;
use super::crypto::apply_keystream;
use super::header::{HEADER_LEN, PRODUCT_ADVERTISEMENT};
use super::record::RecordType;

/// Byte 1 of the header the encoder writes. Its meaning is unknown and decoders ignore it (ble.md §1.2);
/// 0x02 is what connectable devices such as the SmartShunt send.
pub const ENCODER_BYTE1: u8 = 0x02;

/// Length of the 0x0A plaintext the encoder produces: 127 bits of fields plus the unused last bit.
pub const BMS_RECORD_LEN: usize = 16;

/// `n / d` rounded half away from zero (d > 0), in i128 so no input can overflow.
fn div_round(n: i128, d: i128) -> i128 {
    let half = d / 2;
    if n >= 0 {
        (n + half) / d
    } else {
        (n - half) / d
    }
}

/// `v` limited to `lo..=hi`, as the unsigned bit pattern of a two's-complement field.
fn clamp_bits(v: i128, lo: i128, hi: i128) -> u32 {
    let c = v.clamp(lo, hi);
    // Two's complement of the clamped value; callers mask to the field width in `put`.
    i32::try_from(c).map_or(0, |c| c as u32)
}

/// The 16-byte plaintext of a record 0x0A. Unused bits (bit 127) are set, as the spec requires.
pub fn encode_bms_plaintext(r: &BmsRecord) -> [u8; BMS_RECORD_LEN] {
    let mut buf = [0xFFu8; BMS_RECORD_LEN];
    put(&mut buf, 0, 8, u32::from(r.error.0));
    put(
        &mut buf,
        8,
        16,
        r.time_to_go_min
            .map_or(0xFFFF, |m| u32::from(m.min(0xFFFE))),
    );
    let volts = r.battery_voltage.map_or(0x7FFF, |v| {
        clamp_bits(div_round(i128::from(v.0), 10), -32_768, 32_766)
    });
    put(&mut buf, 24, 16, volts);
    let amps = r.battery_current.map_or(0x7FFF, |a| {
        clamp_bits(div_round(i128::from(a.0), 100), -32_768, 32_766)
    });
    put(&mut buf, 40, 16, amps);
    put(&mut buf, 56, 16, u32::from(r.io_status_raw()));
    put(&mut buf, 72, 18, r.alarms.raw());
    put(
        &mut buf,
        90,
        10,
        r.soc.map_or(0x3FF, |s| u32::from(s.0.min(0x3FE))),
    );
    // The record carries −consumed; a positive "consumed" cannot be sent and saturates at 0.
    let consumed = r.consumed.map_or(0xF_FFFF, |c| {
        clamp_bits(div_round(-i128::from(c.0), 100), 0, 0xF_FFFE)
    });
    put(&mut buf, 100, 20, consumed);
    let temperature = r.battery_temperature.map_or(0x7F, |t| {
        clamp_bits(div_round(i128::from(t.0), 10) + 40, 0, 0x7E)
    });
    put(&mut buf, 120, 7, temperature);
    buf
}

/// The full manufacturer payload (after the company id, starting 0x10) of an encrypted record 0x0A, exactly
/// as [`super::decode`] expects it.
pub fn encode_bms(record: &BmsRecord, model_id: u16, nonce: u16, key: &[u8; 16]) -> Vec<u8> {
    let mut data = encode_bms_plaintext(record);
    // A 16-byte buffer never exhausts the keystream.
    let _ = apply_keystream(key, nonce, &mut data);
    let [m0, m1] = model_id.to_le_bytes();
    let [n0, n1] = nonce.to_le_bytes();
    let [key0, ..] = *key;
    let rt = u8::try_from(RecordType::BMS.0).unwrap_or(0x0A);
    let mut out = Vec::with_capacity(HEADER_LEN + BMS_RECORD_LEN);
    out.extend_from_slice(&[
        PRODUCT_ADVERTISEMENT,
        ENCODER_BYTE1,
        m0,
        m1,
        rt,
        n0,
        n1,
        key0,
    ]);
    out.extend_from_slice(&data);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::readout::bms::{AlarmLevel, BmsAlarms};
    use crate::readout::{decode, Record};
    use crate::units::{DeciCelsius, MilliampHours, Milliamps, Millivolts, Permille};

    const KEY: [u8; 16] = [
        0xC1, 0x29, 0xCF, 0x8F, 0x75, 0xC3, 0xFE, 0x5A, 0x16, 0x55, 0xB4, 0x81, 0xE2, 0x05, 0xFB,
        0x7D,
    ];

    #[test]
    fn reproduces_the_keshavdv_lynx_plaintext_bit_for_bit() {
        let plain = crate::readout::hex::parse_hex("0040388b0afaff951555148ccf0200ff").unwrap();
        let Ok(Record::Bms(r)) = crate::readout::decode_record(RecordType::BMS, &plain) else {
            panic!("0x0A must decode");
        };
        assert_eq!(encode_bms_plaintext(&r).as_slice(), plain.as_slice());
    }

    #[test]
    fn all_not_available_is_the_na_codes_and_round_trips() {
        let r = BmsRecord::not_available();
        let p = encode_bms_plaintext(&r);
        assert_eq!(
            p,
            [0, 0xFF, 0xFF, 0xFF, 0x7F, 0xFF, 0x7F, 0, 0, 0, 0, 0xFC, 0xFF, 0xFF, 0xFF, 0xFF]
        );
        let ad = encode_bms(&r, 0xA3EC, 0x1234, &KEY);
        let back = decode(&ad, Some(&KEY)).unwrap();
        assert_eq!(back.record, Record::Bms(r));
        assert_eq!(back.header.model_id, 0xA3EC);
        assert_eq!(back.header.nonce, 0x1234);
    }

    #[test]
    fn rounds_to_the_wire_step_and_saturates() {
        let r = BmsRecord {
            battery_voltage: Some(Millivolts(13_337)),
            battery_current: Some(Milliamps(-1_250)),
            consumed: Some(MilliampHours(5_000)),
            battery_temperature: Some(DeciCelsius(-1_000)),
            soc: Some(Permille(2_000)),
            time_to_go_min: Some(u16::MAX),
            alarms: BmsAlarms {
                low_soc: Some(AlarmLevel::Warning),
                ..BmsAlarms::default()
            },
            ..BmsRecord::not_available()
        };
        let Record::Bms(back) = decode(&encode_bms(&r, 1, 2, &KEY), Some(&KEY))
            .unwrap()
            .record
        else {
            panic!("0x0A must decode");
        };
        assert_eq!(back.battery_voltage, Some(Millivolts(13_340)));
        assert_eq!(
            back.battery_current,
            Some(Milliamps(-1_300)),
            "half away from zero"
        );
        assert_eq!(
            back.consumed,
            Some(MilliampHours(0)),
            "positive consumed saturates at 0"
        );
        assert_eq!(back.battery_temperature, Some(DeciCelsius(-400)));
        assert_eq!(back.soc, Some(Permille(0x3FE)), "never onto the NA code");
        assert_eq!(back.time_to_go_min, Some(0xFFFE));
        assert_eq!(back.alarms.low_soc, Some(AlarmLevel::Warning));
        let extreme = BmsRecord {
            battery_voltage: Some(Millivolts(i32::MIN)),
            consumed: Some(MilliampHours(i64::MIN)),
            ..BmsRecord::not_available()
        };
        let p = encode_bms_plaintext(&extreme);
        assert_eq!((p[3], p[4]), (0x00, 0x80), "-327.68 V");
    }
}

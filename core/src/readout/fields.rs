//! Field conversions shared by the record decoders (wire steps → the crate's integer units) and their JSON
//! view in SI units.
use serde_json::Value;

use super::bits::Bits;
use super::enums::{ChargerError, DeviceState};
use crate::units::{DeciCelsius, MilliampHours, Milliamps, Millivolts, Permille};

/// 0.01 V steps.
pub(crate) fn centivolts(raw: i32) -> Millivolts {
    Millivolts(raw.saturating_mul(10))
}

/// 0.1 A steps.
pub(crate) fn deciamps(raw: i32) -> Milliamps {
    Milliamps(raw.saturating_mul(100))
}

/// 7-bit temperatures: °C = raw − 40 ([EMD], ble.md §1.4). `raw` is at most 0x7E here.
pub(crate) fn celsius_minus_40(raw: u32) -> DeciCelsius {
    let c = i16::try_from(raw).unwrap_or(i16::MAX).saturating_sub(40);
    DeciCelsius(c.saturating_mul(10))
}

/// The common 7-bit temperature field, NA 0x7F.
pub(crate) fn temperature7(b: &Bits, start: usize) -> Option<DeciCelsius> {
    b.u_na(start, 7, 0x7F).map(celsius_minus_40)
}

/// The common 8-bit device state, NA 0xFF.
pub(crate) fn device_state(b: &Bits, start: usize) -> Option<DeviceState> {
    b.u_na(start, 8, 0xFF)
        .and_then(|v| u8::try_from(v).ok())
        .map(DeviceState::from_code)
}

/// The common 8-bit charger error, NA 0xFF.
pub(crate) fn charger_error(b: &Bits, start: usize) -> Option<ChargerError> {
    b.u_na(start, 8, 0xFF)
        .and_then(|v| u8::try_from(v).ok())
        .map(ChargerError::from_code)
}

/// A signed 0.01 V field.
pub(crate) fn volts_s(b: &Bits, start: usize, width: u32, na: u32) -> Option<Millivolts> {
    b.s_na(start, width, na).map(centivolts)
}

/// An unsigned 0.01 V field.
pub(crate) fn volts_u(b: &Bits, start: usize, width: u32, na: u32) -> Option<Millivolts> {
    b.u_na(start, width, na)
        .and_then(|v| i32::try_from(v).ok())
        .map(centivolts)
}

/// A signed 0.1 A field.
pub(crate) fn amps_s(b: &Bits, start: usize, width: u32, na: u32) -> Option<Milliamps> {
    b.s_na(start, width, na).map(deciamps)
}

/// An unsigned 0.1 A field.
pub(crate) fn amps_u(b: &Bits, start: usize, width: u32, na: u32) -> Option<Milliamps> {
    b.u_na(start, width, na)
        .and_then(|v| i32::try_from(v).ok())
        .map(deciamps)
}

/// "Yield today", 0.01 kWh steps → Wh.
pub(crate) fn yield_wh(b: &Bits, start: usize) -> Option<u32> {
    b.u_na(start, 16, 0xFFFF).map(|v| v.saturating_mul(10))
}

/// The 22-bit battery current in mA of the battery monitor and DC energy meter. The spec's NA is 0x3FFFFF,
/// but devices send 0x1FFFFF (Smart Battery Sense, ble.md §1.4 and [GOV]); both are treated as NA, at the cost
/// of reading a true −1 mA as not available.
pub(crate) fn milliamps22(b: &Bits, start: usize) -> Option<Milliamps> {
    b.u(start, 22)
        .filter(|&v| v != 0x3F_FFFF && v != 0x1F_FFFF)
        .map(|v| Milliamps(super::bits::sign_extend(v, 22)))
}

/// Consumed Ah, 20 bits of 0.1 Ah, value = −raw, NA 0xFFFFF ([EMD] "Consumed Ah = -Record value").
pub(crate) fn consumed_ah(b: &Bits, start: usize) -> Option<MilliampHours> {
    b.u_na(start, 20, 0xF_FFFF)
        .map(|v| MilliampHours(-(i64::from(v) * 100)))
}

/// SoC in 0.1 %, 10 bits, NA 0x3FF. Values above 100 % are passed on as sent.
pub(crate) fn soc10(b: &Bits, start: usize) -> Option<Permille> {
    b.u_na(start, 10, 0x3FF)
        .and_then(|v| u16::try_from(v).ok())
        .map(Permille)
}

/// SoC in whole percent, 7 bits, NA 0x7F (VE.Bus, GX).
pub(crate) fn soc7(b: &Bits, start: usize) -> Option<Permille> {
    b.u_na(start, 7, 0x7F)
        .and_then(|v| u16::try_from(v * 10).ok())
        .map(Permille)
}

// ---- JSON (SI units; `null` = not available) ----

pub(crate) fn num(x: f64) -> Value {
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}

pub(crate) fn volts(v: Option<Millivolts>) -> Value {
    v.map_or(Value::Null, |v| num(v.si()))
}

pub(crate) fn amps(v: Option<Milliamps>) -> Value {
    v.map_or(Value::Null, |v| num(v.si()))
}

pub(crate) fn amp_hours(v: Option<MilliampHours>) -> Value {
    v.map_or(Value::Null, |v| num(v.si()))
}

pub(crate) fn celsius(v: Option<DeciCelsius>) -> Value {
    v.map_or(Value::Null, |v| num(v.si()))
}

pub(crate) fn percent(v: Option<Permille>) -> Value {
    v.map_or(Value::Null, |v| num(v.percent()))
}

/// Wh → kWh.
pub(crate) fn kwh(v: Option<u32>) -> Value {
    v.map_or(Value::Null, |wh| num(f64::from(wh) / 1000.0))
}

pub(crate) fn int<T: Into<i64>>(v: Option<T>) -> Value {
    v.map_or(Value::Null, |v| Value::from(v.into()))
}

pub(crate) fn state(v: Option<DeviceState>) -> Value {
    v.map_or(Value::Null, DeviceState::to_json)
}

pub(crate) fn error(v: Option<ChargerError>) -> Value {
    v.map_or(Value::Null, ChargerError::to_json)
}

//! Record 0x0A, "(Lynx Smart) BMS": what the smallBMS NG most probably broadcasts (ble.md §0 and §3:
//! [DBS 8a50e7c] "used by the SuperPack NG", [BTS#173] a smallBMS NG decoded by a 0x0A-only parser).
//!
//! Layout (bit offsets into the decrypted record = spec start bit − 32): ble.md §2 0x0A, [EMD] "(Lynx Smart)
//! BMS", victron-behaviour.md §1.9. The meaning of the IO and warning/alarm 2-bit codes is Victron's own Venus
//! OS decoder [DBS victron-lsbms.c, 427c935], because the spec only names the registers.
//!
//! | bits    | field                                         |
//! |---------|-----------------------------------------------|
//! | 0:8     | error (VE_REG_BMS_ERROR; NA 0x0 = no error)   |
//! | 8:16    | time-to-go, min, NA 0xFFFF                    |
//! | 24:s16  | battery voltage, 0.01 V, NA 0x7FFF            |
//! | 40:s16  | battery current, 0.1 A, NA 0x7FFF             |
//! | 56:16   | IO status (VE_REG_BMS_IO), NA 0x0             |
//! | 72:18   | warnings/alarms, 2 bits each, NA 0x0          |
//! | 90:10   | SoC, 0.1 %, NA 0x3FF                          |
//! | 100:20  | consumed Ah, 0.1 Ah, value = −raw, NA 0xFFFFF |
//! | 120:7   | temperature, °C = raw − 40, NA 0x7F           |
//! | 127:1   | unused (sent as 1)                            |
use serde_json::{json, Value};

use super::bits::Bits;
use super::fields::{self as f, amp_hours, amps, celsius, int, percent, volts};
use crate::units::{DeciCelsius, MilliampHours, Milliamps, Millivolts, Permille};

/// VE_REG_BMS_ERROR, shown as "#n" (victron-behaviour.md §1.10, [VEUTIL-ERR] bms_error.cpp). Which of these the
/// smallBMS NG raises is unconfirmed; contactor, pre-charge and shunt codes are Lynx-only by nature.
pub const BMS_ERROR_TEXTS: &[(u8, &str)] = &[
    (0, "No error"),
    (1, "Battery initialization error"),
    (2, "No batteries connected"),
    (3, "Unknown battery"),
    (4, "Different battery types"),
    (5, "No. of batteries incorrect"),
    (6, "Lynx Shunt not found"),
    (7, "Battery measure error"),
    (8, "Internal calculation error"),
    (9, "No. of batteries in series incorrect"),
    (10, "No. of batteries incorrect"),
    (11, "Hardware error"),
    (12, "Watchdog error"),
    (13, "Over voltage"),
    (14, "Under voltage"),
    (15, "Over temperature"),
    (16, "Under temperature"),
    (17, "Hardware error"),
    (18, "Under-charge standby"),
    (20, "Safety contactor error (startup)"),
    (22, "ADC error"),
    (23, "Battery comm. error"),
    (25, "Pre-Charge error"),
    (26, "Safety contactor error"),
    (28, "Battery update error"),
    (29, "Battery update error"),
    (30, "Calibration data lost"),
    (31, "Settings invalid"),
    (32, "BMS cable error"),
    (33, "Reference voltage failure"),
    (34, "Wrong system voltage"),
    (35, "Pre charge timeout"),
    (36, "ATC/ATD failure"),
    (37, "Interlock (MGE)"),
    (38, "Emergency stop (MGE)"),
    (39, "Communication timeout (MGE)"),
    (40, "Safety lock (MGE)"),
    (41, "Terminal over-temperature (MGE)"),
    (116, "Calibration data lost"),
    (119, "Settings invalid"),
];

/// A BMS error number (VE_REG_BMS_ERROR). 0 means "no error", which is also the spec's NA code for this field.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct BmsError(pub u8);

impl BmsError {
    pub const NONE: BmsError = BmsError(0);

    pub fn is_error(self) -> bool {
        self.0 != 0
    }

    /// Victron's text for this number, if published.
    pub fn text(self) -> Option<&'static str> {
        BMS_ERROR_TEXTS
            .iter()
            .find(|(code, _)| *code == self.0)
            .map(|(_, text)| *text)
    }

    fn to_json(self) -> Value {
        let text = match (self.text(), self.0) {
            (Some(t), _) => alloc::string::String::from(t),
            (None, 101..=113 | 201..=224) => alloc::format!("Lynx Smart BMS error #{}", self.0),
            (None, n) => alloc::format!("Error #{n}"),
        };
        json!({ "code": self.0, "text": text })
    }
}

/// One warning/alarm channel, from a 2-bit code: 0 = not supported (`None`), 1 = OK, 2 = warning, 3 = alarm
/// ([DBS 427c935] `REG_FLAG_WARN_ALARM`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AlarmLevel {
    Ok,
    Warning,
    Alarm,
}

impl AlarmLevel {
    pub(crate) fn from_code(code: u32) -> Option<AlarmLevel> {
        match code & 3 {
            1 => Some(AlarmLevel::Ok),
            2 => Some(AlarmLevel::Warning),
            3 => Some(AlarmLevel::Alarm),
            _ => None,
        }
    }

    pub(crate) fn code(level: Option<AlarmLevel>) -> u32 {
        match level {
            None => 0,
            Some(AlarmLevel::Ok) => 1,
            Some(AlarmLevel::Warning) => 2,
            Some(AlarmLevel::Alarm) => 3,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            AlarmLevel::Ok => "ok",
            AlarmLevel::Warning => "warning",
            AlarmLevel::Alarm => "alarm",
        }
    }
}

/// The 18-bit warnings/alarms field, pair by pair as Venus OS maps it ([DBS victron-lsbms.c]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct BmsAlarms {
    /// Bits 0–1.
    pub low_cell_voltage: Option<AlarmLevel>,
    /// Bits 2–3.
    pub high_current: Option<AlarmLevel>,
    /// Bits 4–5.
    pub high_internal_temperature: Option<AlarmLevel>,
    /// Bits 6–7.
    pub contactor: Option<AlarmLevel>,
    /// Bits 8–9; Venus OS: "only used in Lynx Smart BMS NG".
    pub bms_cable: Option<AlarmLevel>,
    /// Bits 10–11.
    pub load_disconnect: Option<AlarmLevel>,
    /// Bits 12–13.
    pub low_soc: Option<AlarmLevel>,
    /// Bits 14–15, raw (0..=3): Venus OS maps no channel here.
    pub bits_14_15: u8,
    /// Bits 16–17.
    pub high_temperature: Option<AlarmLevel>,
}

impl BmsAlarms {
    /// From the raw 18-bit field.
    pub fn from_raw(raw: u32) -> BmsAlarms {
        let pair = |shift: u32| AlarmLevel::from_code(raw >> shift);
        BmsAlarms {
            low_cell_voltage: pair(0),
            high_current: pair(2),
            high_internal_temperature: pair(4),
            contactor: pair(6),
            bms_cable: pair(8),
            load_disconnect: pair(10),
            low_soc: pair(12),
            bits_14_15: u8::try_from((raw >> 14) & 3).unwrap_or(0),
            high_temperature: pair(16),
        }
    }

    /// The raw 18-bit field; `from_raw(a.raw()) == a` for every `a` with `bits_14_15 <= 3`.
    pub fn raw(&self) -> u32 {
        AlarmLevel::code(self.low_cell_voltage)
            | AlarmLevel::code(self.high_current) << 2
            | AlarmLevel::code(self.high_internal_temperature) << 4
            | AlarmLevel::code(self.contactor) << 6
            | AlarmLevel::code(self.bms_cable) << 8
            | AlarmLevel::code(self.load_disconnect) << 10
            | AlarmLevel::code(self.low_soc) << 12
            | u32::from(self.bits_14_15 & 3) << 14
            | AlarmLevel::code(self.high_temperature) << 16
    }

    /// The channels with their names, in bit order (without the unmapped pair).
    pub fn channels(&self) -> [(&'static str, Option<AlarmLevel>); 8] {
        [
            ("low_cell_voltage", self.low_cell_voltage),
            ("high_current", self.high_current),
            ("high_internal_temperature", self.high_internal_temperature),
            ("contactor", self.contactor),
            ("bms_cable", self.bms_cable),
            ("load_disconnect", self.load_disconnect),
            ("low_soc", self.low_soc),
            ("high_temperature", self.high_temperature),
        ]
    }

    /// The worst level of any channel, `None` if no channel is supported.
    pub fn worst(&self) -> Option<AlarmLevel> {
        let rank = |l: &AlarmLevel| AlarmLevel::code(Some(*l));
        self.channels()
            .iter()
            .filter_map(|(_, l)| *l)
            .max_by_key(rank)
    }

    fn to_json(self) -> Value {
        let mut map = serde_json::Map::new();
        for (name, level) in self.channels() {
            map.insert(name.into(), level.map_or(Value::Null, |l| l.name().into()));
        }
        map.insert("bits_14_15".into(), self.bits_14_15.into());
        map.insert("raw".into(), self.raw().into());
        Value::Object(map)
    }
}

/// IO-status bits Venus OS does not map (0–1 and 8–15), kept raw so a decode loses nothing.
pub const IO_OTHER_MASK: u16 = 0xFF03;

/// Decodes one IO-status 2-bit code the way Venus OS does ([DBS victron-lsbms.c] `xlate_bms_io`):
/// 0 → not available, 1 → true (allowed / on), anything else → false.
fn io_flag(raw: u32) -> Option<bool> {
    match raw & 3 {
        0 => None,
        1 => Some(true),
        _ => Some(false),
    }
}

/// The 2-bit code the encoder sends: `None` → 0, `true` → 1, `false` → 2.
pub(crate) fn io_code(flag: Option<bool>) -> u32 {
    match flag {
        None => 0,
        Some(true) => 1,
        Some(false) => 2,
    }
}

/// Record 0x0A, decoded. Every field the device marks "not available" is `None`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BmsRecord {
    /// Present in every record (the first byte); 0 = no error.
    pub error: BmsError,
    pub time_to_go_min: Option<u16>,
    pub battery_voltage: Option<Millivolts>,
    /// Positive charges the battery.
    pub battery_current: Option<Milliamps>,
    /// IO status bits 2–3 (Venus OS "AllowToCharge").
    pub allowed_to_charge: Option<bool>,
    /// IO status bits 4–5 (Venus OS "AllowToDischarge").
    pub allowed_to_discharge: Option<bool>,
    /// IO status bits 6–7 (Venus OS "ExternalRelay").
    pub external_relay: Option<bool>,
    /// The rest of the IO status word, bits in [`IO_OTHER_MASK`] only. A Lynx sends 0x1501 here (all pairs "1").
    pub io_other_bits: u16,
    pub alarms: BmsAlarms,
    /// 0.1 % steps. 0x3FF is NA and decodes to `None`, never to 102.3 % (the bug reported in [BTS#173]).
    pub soc: Option<Permille>,
    /// Zero or negative: the record carries −consumed ([EMD] "Consumed Ah = -Record value"). victron-ble's
    /// Lynx decoder and some fixtures show it positive instead (ble.md §4).
    pub consumed: Option<MilliampHours>,
    pub battery_temperature: Option<DeciCelsius>,
}

impl BmsRecord {
    /// Everything "not available", no error: a starting point for a simulated BMS.
    pub fn not_available() -> BmsRecord {
        BmsRecord::default()
    }

    pub(crate) fn decode(b: &Bits) -> Self {
        // IO status and warnings/alarms have NA 0x0 in the spec, so a record too short to hold them reads the
        // same as one that marks them not available.
        let io = b.u(56, 16).unwrap_or(0);
        BmsRecord {
            error: BmsError(b.u(0, 8).and_then(|v| u8::try_from(v).ok()).unwrap_or(0)),
            time_to_go_min: b.u_na(8, 16, 0xFFFF).and_then(|v| u16::try_from(v).ok()),
            battery_voltage: f::volts_s(b, 24, 16, 0x7FFF),
            battery_current: f::amps_s(b, 40, 16, 0x7FFF),
            allowed_to_charge: io_flag(io >> 2),
            allowed_to_discharge: io_flag(io >> 4),
            external_relay: io_flag(io >> 6),
            io_other_bits: u16::try_from(io).unwrap_or(0) & IO_OTHER_MASK,
            alarms: BmsAlarms::from_raw(b.u(72, 18).unwrap_or(0)),
            soc: f::soc10(b, 90),
            consumed: f::consumed_ah(b, 100),
            battery_temperature: f::temperature7(b, 120),
        }
    }

    /// The IO status word as the encoder sends it.
    pub fn io_status_raw(&self) -> u16 {
        let pairs = io_code(self.allowed_to_charge) << 2
            | io_code(self.allowed_to_discharge) << 4
            | io_code(self.external_relay) << 6;
        (self.io_other_bits & IO_OTHER_MASK) | u16::try_from(pairs).unwrap_or(0)
    }

    pub(crate) fn to_json(&self) -> Value {
        json!({
            "error": self.error.to_json(),
            "time_to_go_min": int(self.time_to_go_min),
            "battery_voltage_v": volts(self.battery_voltage),
            "battery_current_a": amps(self.battery_current),
            "allowed_to_charge": self.allowed_to_charge,
            "allowed_to_discharge": self.allowed_to_discharge,
            "external_relay": self.external_relay,
            "io_other_bits": self.io_other_bits,
            "alarms": self.alarms.to_json(),
            "soc_percent": percent(self.soc),
            "consumed_ah": amp_hours(self.consumed),
            "battery_temperature_c": celsius(self.battery_temperature),
        })
    }
}

impl BmsRecord {
    /// Reads a record from the JSON [`BmsRecord::to_json`] writes (the same keys, SI units, `null` or absent =
    /// not available), so a user can say what a simulated BMS should broadcast. Unknown keys are refused, so a
    /// typo is not silently ignored.
    pub fn from_json(value: &Value) -> Result<BmsRecord, alloc::string::String> {
        use alloc::format;
        let obj = value
            .as_object()
            .ok_or("a BMS record must be a JSON object")?;
        let num = |k: &str| -> Result<Option<f64>, alloc::string::String> {
            match obj.get(k) {
                None | Some(Value::Null) => Ok(None),
                Some(v) => v
                    .as_f64()
                    .filter(|x| x.is_finite())
                    .map(Some)
                    .ok_or_else(|| format!("{k} must be a number or null")),
            }
        };
        let flag = |k: &str| -> Result<Option<bool>, alloc::string::String> {
            match obj.get(k) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::Bool(b)) => Ok(Some(*b)),
                Some(_) => Err(format!("{k} must be true, false or null")),
            }
        };
        let mut r = BmsRecord::not_available();
        for key in obj.keys() {
            let known = [
                "error",
                "time_to_go_min",
                "battery_voltage_v",
                "battery_current_a",
                "allowed_to_charge",
                "allowed_to_discharge",
                "external_relay",
                "io_other_bits",
                "alarms",
                "soc_percent",
                "consumed_ah",
                "battery_temperature_c",
            ];
            if !known.contains(&key.as_str()) {
                return Err(format!(
                    "unknown field {key:?}; known: {}",
                    known.join(", ")
                ));
            }
        }
        r.error = match obj.get("error") {
            None | Some(Value::Null) => BmsError::NONE,
            Some(Value::Object(e)) => BmsError(
                e.get("code")
                    .and_then(Value::as_u64)
                    .and_then(|c| u8::try_from(c).ok())
                    .ok_or("error.code must be 0 … 255")?,
            ),
            Some(v) => BmsError(
                v.as_u64()
                    .and_then(|c| u8::try_from(c).ok())
                    .ok_or("error must be 0 … 255")?,
            ),
        };
        r.time_to_go_min = num("time_to_go_min")?.map(|m| m.clamp(0.0, 65_534.0) as u16);
        r.battery_voltage = num("battery_voltage_v")?.map(Millivolts::from_si);
        r.battery_current = num("battery_current_a")?.map(Milliamps::from_si);
        r.allowed_to_charge = flag("allowed_to_charge")?;
        r.allowed_to_discharge = flag("allowed_to_discharge")?;
        r.external_relay = flag("external_relay")?;
        r.io_other_bits =
            num("io_other_bits")?.map_or(0, |b| (b.clamp(0.0, 65_535.0) as u16) & IO_OTHER_MASK);
        r.soc = num("soc_percent")?.map(|p| Permille::from_fraction(p / 100.0));
        r.consumed = num("consumed_ah")?.map(MilliampHours::from_si);
        r.battery_temperature = num("battery_temperature_c")?.map(DeciCelsius::from_si);
        if let Some(alarms) = obj.get("alarms").filter(|v| !v.is_null()) {
            let alarms = alarms
                .as_object()
                .ok_or("alarms must be an object of channel → ok/warning/alarm")?;
            let mut a = BmsAlarms::default();
            for (name, level) in alarms {
                let level = match level {
                    Value::Null => None,
                    Value::String(s) => Some(match s.as_str() {
                        "ok" => AlarmLevel::Ok,
                        "warning" => AlarmLevel::Warning,
                        "alarm" => AlarmLevel::Alarm,
                        other => {
                            return Err(format!(
                                "alarm level {other:?} is not ok, warning or alarm"
                            ))
                        }
                    }),
                    _ => {
                        return Err(format!(
                            "alarms.{name} must be \"ok\", \"warning\", \"alarm\" or null"
                        ))
                    }
                };
                let slot = match name.as_str() {
                    "low_cell_voltage" => &mut a.low_cell_voltage,
                    "high_current" => &mut a.high_current,
                    "high_internal_temperature" => &mut a.high_internal_temperature,
                    "contactor" => &mut a.contactor,
                    "bms_cable" => &mut a.bms_cable,
                    "load_disconnect" => &mut a.load_disconnect,
                    "low_soc" => &mut a.low_soc,
                    "high_temperature" => &mut a.high_temperature,
                    "bits_14_15" | "raw" => continue,
                    other => return Err(format!("unknown alarm channel {other:?}")),
                };
                *slot = level;
            }
            r.alarms = a;
        }
        Ok(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_hex(hex: &str) -> BmsRecord {
        let bytes = crate::readout::hex::parse_hex(hex).unwrap();
        BmsRecord::decode(&Bits::new(&bytes))
    }

    #[test]
    fn keshavdv_lynx_vector() {
        // keshavdv test_lynx_smart_bms (ble.md §2 0x0A explains the "mysterious" IO and alarm values).
        let r = decode_hex("0040388b0afaff951555148ccf0200ff");
        assert_eq!(r.error, BmsError::NONE);
        assert_eq!(r.time_to_go_min, Some(14_400));
        assert_eq!(r.battery_voltage, Some(Millivolts(26_990)));
        assert_eq!(r.battery_current, Some(Milliamps(-600)));
        assert_eq!(r.io_status_raw(), 0x1595);
        assert_eq!(
            (
                r.allowed_to_charge,
                r.allowed_to_discharge,
                r.external_relay
            ),
            (Some(true), Some(true), Some(false))
        );
        assert_eq!(r.alarms.raw(), 5205);
        assert_eq!(r.alarms.low_cell_voltage, Some(AlarmLevel::Ok));
        assert_eq!(r.alarms.bms_cable, None);
        assert_eq!(r.alarms.high_temperature, None);
        assert_eq!(r.alarms.worst(), Some(AlarmLevel::Ok));
        assert_eq!(r.soc, Some(Permille(995)));
        assert_eq!(
            r.consumed,
            Some(MilliampHours(-4_400)),
            "spec: consumed = −raw"
        );
        assert_eq!(r.battery_temperature, None);
    }

    #[test]
    fn soc_not_available_is_none_not_102_3_percent() {
        let mut bytes = [0xFFu8; 16];
        bytes[0] = 0;
        let r = BmsRecord::decode(&Bits::new(&bytes));
        assert_eq!(r.soc, None);
        assert_eq!(r.consumed, None);
        assert_eq!(r.battery_temperature, None);
        assert_eq!(r.time_to_go_min, None);
    }

    #[test]
    fn short_record_reads_missing_fields_as_not_available() {
        let r = decode_hex("2040");
        assert_eq!(r.error, BmsError(0x20));
        assert_eq!(r.error.text(), Some("BMS cable error"));
        assert_eq!(r.time_to_go_min, None);
        assert_eq!(r.alarms, BmsAlarms::default());
        assert_eq!(r.allowed_to_charge, None);
    }

    #[test]
    fn error_texts() {
        assert_eq!(BmsError(36).text(), Some("ATC/ATD failure"));
        assert_eq!(BmsError(105).text(), None);
        assert_eq!(BmsError(105).to_json()["text"], "Lynx Smart BMS error #105");
        assert_eq!(BmsError(250).to_json()["text"], "Error #250");
    }

    #[test]
    fn alarm_pairs_are_bijective() {
        for raw in 0..(1u32 << 18) {
            assert_eq!(BmsAlarms::from_raw(raw).raw(), raw);
        }
    }
}

//! Battery-side records: 0x02 Battery Monitor, 0x05 SmartLithium, 0x09 Smart Battery Protect, 0x0D DC Energy
//! Meter. Bit offsets are into the decrypted record (spec start bit − 32), as in ble.md §2; NA codes from [EMD].
use alloc::vec::Vec;
use serde_json::{json, Value};

use super::bits::Bits;
use super::enums::{
    AlarmReason, BalancerStatus, ChargerError, DeviceState, MeterType, OffReason, OutputState,
    SmartLithiumFlags,
};
use super::fields::{self as f, amp_hours, amps, celsius, int, num, percent, state, volts};
use super::power::alarm;
use crate::units::{DeciCelsius, MilliampHours, Milliamps, Millivolts, Permille};

/// A temperature in 0.01 K, as the battery monitor's aux input sends it. Kept at wire resolution because the
/// crate's `DeciCelsius` would drop the last digit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Centikelvin(pub u16);

impl Centikelvin {
    pub fn celsius(self) -> f64 {
        (f64::from(self.0) - 27_315.0) / 100.0
    }
}

/// What the battery monitor's aux input measures, with its value (VE_REG_BMV_AUX_INPUT, [EMD] Battery Monitor).
/// The 16-bit value's NA is not given in the spec; codes outside the documented range (0x7FFF for the s16
/// starter voltage, 0xFFFF for the u16 midpoint voltage and temperature) read as not available (ble.md §1.4
/// "all-ones for unsigned, max-positive for signed").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuxInput {
    /// Mode 0: second (starter) battery voltage, s16 0.01 V.
    StarterVoltage(Option<Millivolts>),
    /// Mode 1: midpoint voltage, u16 0.01 V.
    MidpointVoltage(Option<Millivolts>),
    /// Mode 2: battery temperature, u16 0.01 K.
    Temperature(Option<Centikelvin>),
    /// Mode 3: nothing connected.
    None,
}

impl AuxInput {
    fn decode(b: &Bits, value_start: usize, mode_start: usize) -> Option<AuxInput> {
        Some(match b.u(mode_start, 2)? {
            0 => AuxInput::StarterVoltage(f::volts_s(b, value_start, 16, 0x7FFF)),
            1 => AuxInput::MidpointVoltage(f::volts_u(b, value_start, 16, 0xFFFF)),
            2 => AuxInput::Temperature(
                b.u_na(value_start, 16, 0xFFFF)
                    .and_then(|v| u16::try_from(v).ok())
                    .map(Centikelvin),
            ),
            _ => AuxInput::None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            AuxInput::StarterVoltage(_) => "starter_voltage",
            AuxInput::MidpointVoltage(_) => "midpoint_voltage",
            AuxInput::Temperature(_) => "temperature",
            AuxInput::None => "none",
        }
    }

    /// Adds `aux_input` and the three possible values (null unless that mode) to a JSON object.
    fn json_into(aux: Option<AuxInput>, obj: &mut Value) {
        let (starter, midpoint, temperature) = match aux {
            Some(AuxInput::StarterVoltage(v)) => (volts(v), Value::Null, Value::Null),
            Some(AuxInput::MidpointVoltage(v)) => (Value::Null, volts(v), Value::Null),
            Some(AuxInput::Temperature(t)) => (
                Value::Null,
                Value::Null,
                t.map_or(Value::Null, |t| num(t.celsius())),
            ),
            _ => (Value::Null, Value::Null, Value::Null),
        };
        if let Value::Object(map) = obj {
            map.insert(
                "aux_input".into(),
                aux.map_or(Value::Null, |a| a.name().into()),
            );
            map.insert("starter_voltage_v".into(), starter);
            map.insert("midpoint_voltage_v".into(), midpoint);
            map.insert("aux_temperature_c".into(), temperature);
        }
    }
}

/// Record 0x02, Battery Monitor: SmartShunt, BMV, and the Smart Battery Sense (ble.md §2 0x02, [EMD] "Battery
/// Monitor").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatteryMonitorRecord {
    pub time_to_go_min: Option<u16>,
    pub battery_voltage: Option<Millivolts>,
    pub alarm_reason: Option<AlarmReason>,
    pub aux: Option<AuxInput>,
    pub battery_current: Option<Milliamps>,
    /// Negative or zero: the spec sends −consumed ([EMD] "Consumed Ah = -Record value").
    pub consumed: Option<MilliampHours>,
    pub soc: Option<Permille>,
}

impl BatteryMonitorRecord {
    pub(crate) fn decode(b: &Bits) -> Self {
        BatteryMonitorRecord {
            time_to_go_min: b.u_na(0, 16, 0xFFFF).and_then(|v| u16::try_from(v).ok()),
            battery_voltage: f::volts_s(b, 16, 16, 0x7FFF),
            alarm_reason: alarm(b, 32),
            aux: AuxInput::decode(b, 48, 64),
            battery_current: f::milliamps22(b, 66),
            consumed: f::consumed_ah(b, 88),
            soc: f::soc10(b, 108),
        }
    }

    pub(crate) fn to_json(&self) -> Value {
        let mut v = json!({
            "time_to_go_min": int(self.time_to_go_min),
            "battery_voltage_v": volts(self.battery_voltage),
            "alarm_reason": self.alarm_reason.map_or(Value::Null, AlarmReason::to_json),
            "battery_current_a": amps(self.battery_current),
            "consumed_ah": amp_hours(self.consumed),
            "soc_percent": percent(self.soc),
        });
        AuxInput::json_into(self.aux, &mut v);
        v
    }
}

/// Record 0x0D, DC Energy Meter: a SmartShunt in energy-meter mode (ble.md §2 0x0D, [EMD] "DC Energy Meter").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DcEnergyMeterRecord {
    /// VE_REG_BMV_MONITOR_MODE, s16, no NA code in the spec.
    pub meter_type: Option<MeterType>,
    pub battery_voltage: Option<Millivolts>,
    pub alarm_reason: Option<AlarmReason>,
    /// The spec documents modes 0 (starter voltage), 2 (temperature) and 3 (none) here.
    pub aux: Option<AuxInput>,
    pub battery_current: Option<Milliamps>,
}

impl DcEnergyMeterRecord {
    pub(crate) fn decode(b: &Bits) -> Self {
        DcEnergyMeterRecord {
            meter_type: b
                .u(0, 16)
                .map(|v| super::bits::sign_extend(v, 16))
                .and_then(|v| i16::try_from(v).ok())
                .map(MeterType::from_code),
            battery_voltage: f::volts_s(b, 16, 16, 0x7FFF),
            alarm_reason: alarm(b, 32),
            aux: AuxInput::decode(b, 48, 64),
            battery_current: f::milliamps22(b, 66),
        }
    }

    pub(crate) fn to_json(&self) -> Value {
        let mut v = json!({
            "meter_type": self.meter_type.map_or(Value::Null, MeterType::to_json),
            "battery_voltage_v": volts(self.battery_voltage),
            "alarm_reason": self.alarm_reason.map_or(Value::Null, AlarmReason::to_json),
            "battery_current_a": amps(self.battery_current),
        });
        AuxInput::json_into(self.aux, &mut v);
        v
    }
}

/// One SmartLithium cell reading (ble.md §2 0x05; [EMD] "Cell Voltage Encoding").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CellVoltage {
    /// Code 0: below 2.61 V.
    Below2V61,
    /// Codes 1..=0x7D: 2.60 V + code × 0.01 V.
    Volts(Millivolts),
    /// Code 0x7E: above 3.85 V.
    Above3V85,
}

impl CellVoltage {
    fn from_code(code: u32) -> Option<CellVoltage> {
        match code {
            0 => Some(CellVoltage::Below2V61),
            0x7E => Some(CellVoltage::Above3V85),
            0x7F => None,
            c => i32::try_from(c)
                .ok()
                .map(|c| CellVoltage::Volts(Millivolts(2600 + c * 10))),
        }
    }

    fn to_json(self) -> Value {
        match self {
            CellVoltage::Below2V61 => "below_2.61".into(),
            CellVoltage::Volts(v) => num(v.si()),
            CellVoltage::Above3V85 => "above_3.85".into(),
        }
    }
}

/// Record 0x05, SmartLithium (Lithium Battery Smart; ble.md §2 0x05, [EMD] "SmartLithium").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SmartLithiumRecord {
    pub bms_flags: Option<SmartLithiumFlags>,
    /// VE_REG_SMART_LITHIUM_ERROR_FLAGS; bit meanings are not published.
    pub error_flags: Option<u16>,
    pub cells: [Option<CellVoltage>; 8],
    pub battery_voltage: Option<Millivolts>,
    pub balancer_status: Option<BalancerStatus>,
    pub battery_temperature: Option<DeciCelsius>,
}

impl SmartLithiumRecord {
    pub(crate) fn decode(b: &Bits) -> Self {
        let cells = core::array::from_fn(|i| b.u(48 + 7 * i, 7).and_then(CellVoltage::from_code));
        SmartLithiumRecord {
            bms_flags: b.u(0, 32).map(SmartLithiumFlags),
            error_flags: b.u(32, 16).and_then(|v| u16::try_from(v).ok()),
            cells,
            battery_voltage: f::volts_u(b, 104, 12, 0xFFF),
            balancer_status: b
                .u_na(116, 4, 0xF)
                .and_then(|v| u8::try_from(v).ok())
                .map(BalancerStatus::from_code),
            battery_temperature: f::temperature7(b, 120),
        }
    }

    pub(crate) fn to_json(&self) -> Value {
        let cells: Vec<Value> = self
            .cells
            .iter()
            .map(|c| c.map_or(Value::Null, CellVoltage::to_json))
            .collect();
        json!({
            "bms_flags": self.bms_flags.map_or(Value::Null, SmartLithiumFlags::to_json),
            "error_flags": int(self.error_flags),
            "cell_voltages_v": cells,
            "battery_voltage_v": volts(self.battery_voltage),
            "balancer_status": self.balancer_status.map_or(Value::Null, BalancerStatus::to_json),
            "battery_temperature_c": celsius(self.battery_temperature),
        })
    }
}

/// Record 0x09, Smart Battery Protect. The spec numbers this table from bit 8, not 32; offsets here are
/// verified against captures (ble.md §1.4 and §2 0x09, [MP][KESH]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SmartBatteryProtectRecord {
    pub device_state: Option<DeviceState>,
    pub output_state: Option<OutputState>,
    /// VE_REG_CHR_ERROR_CODE, NA 0xFF.
    pub error: Option<ChargerError>,
    pub alarm_reason: Option<AlarmReason>,
    pub warning_reason: Option<AlarmReason>,
    pub input_voltage: Option<Millivolts>,
    pub output_voltage: Option<Millivolts>,
    pub off_reason: Option<OffReason>,
}

impl SmartBatteryProtectRecord {
    pub(crate) fn decode(b: &Bits) -> Self {
        SmartBatteryProtectRecord {
            device_state: f::device_state(b, 0),
            output_state: b
                .u_na(8, 8, 0xFF)
                .and_then(|v| u8::try_from(v).ok())
                .map(OutputState::from_code),
            error: f::charger_error(b, 16),
            alarm_reason: alarm(b, 24),
            warning_reason: alarm(b, 40),
            input_voltage: f::volts_s(b, 56, 16, 0x7FFF),
            output_voltage: f::volts_u(b, 72, 16, 0xFFFF),
            off_reason: b.u(88, 32).map(OffReason),
        }
    }

    pub(crate) fn to_json(&self) -> Value {
        json!({
            "device_state": state(self.device_state),
            "output_state": self.output_state.map_or(Value::Null, OutputState::to_json),
            "error": f::error(self.error),
            "alarm_reason": self.alarm_reason.map_or(Value::Null, AlarmReason::to_json),
            "warning_reason": self.warning_reason.map_or(Value::Null, AlarmReason::to_json),
            "input_voltage_v": volts(self.input_voltage),
            "output_voltage_v": volts(self.output_voltage),
            "off_reason": self.off_reason.map_or(Value::Null, OffReason::to_json),
        })
    }
}

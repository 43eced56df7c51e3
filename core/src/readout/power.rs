//! Records of chargers, inverters and converters: 0x01, 0x03, 0x04, 0x06, 0x08, 0x0B, 0x0C, 0x0F.
//!
//! Bit offsets are into the decrypted record (spec start bit − 32), as in ble.md §2; NA codes from [EMD].
//! A field the record is too short to contain reads as `None`, like a field sent as "not available".
use serde_json::{json, Value};

use super::bits::Bits;
use super::enums::{ActiveAcIn, AlarmReason, ChargerError, DeviceState, OffReason, VeBusAlarm};
use super::fields::{self as f, amps, celsius, int, kwh, percent, state, volts};
use crate::units::{DeciCelsius, Milliamps, Millivolts, Permille};

/// Record 0x01, Solar Charger (ble.md §2 0x01, [EMD] "Solar Charger").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SolarChargerRecord {
    pub device_state: Option<DeviceState>,
    pub charger_error: Option<ChargerError>,
    pub battery_voltage: Option<Millivolts>,
    /// May be negative because of a load on the load output ([EMD]).
    pub battery_current: Option<Milliamps>,
    pub yield_today_wh: Option<u32>,
    pub pv_power_w: Option<u16>,
    pub load_current: Option<Milliamps>,
}

impl SolarChargerRecord {
    pub(crate) fn decode(b: &Bits) -> Self {
        SolarChargerRecord {
            device_state: f::device_state(b, 0),
            charger_error: f::charger_error(b, 8),
            battery_voltage: f::volts_s(b, 16, 16, 0x7FFF),
            battery_current: f::amps_s(b, 32, 16, 0x7FFF),
            yield_today_wh: f::yield_wh(b, 48),
            pv_power_w: b.u_na(64, 16, 0xFFFF).and_then(|v| u16::try_from(v).ok()),
            load_current: f::amps_u(b, 80, 9, 0x1FF),
        }
    }

    pub(crate) fn to_json(&self) -> Value {
        json!({
            "device_state": state(self.device_state),
            "charger_error": f::error(self.charger_error),
            "battery_voltage_v": volts(self.battery_voltage),
            "battery_current_a": amps(self.battery_current),
            "yield_today_kwh": kwh(self.yield_today_wh),
            "pv_power_w": int(self.pv_power_w),
            "load_current_a": amps(self.load_current),
        })
    }
}

/// Record 0x03, Inverter (ble.md §2 0x03, [EMD] "Inverter").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InverterRecord {
    pub device_state: Option<DeviceState>,
    pub alarm_reason: Option<AlarmReason>,
    pub battery_voltage: Option<Millivolts>,
    pub ac_apparent_power_va: Option<u16>,
    pub ac_voltage: Option<Millivolts>,
    pub ac_current: Option<Milliamps>,
}

impl InverterRecord {
    pub(crate) fn decode(b: &Bits) -> Self {
        InverterRecord {
            device_state: f::device_state(b, 0),
            alarm_reason: alarm(b, 8),
            battery_voltage: f::volts_s(b, 24, 16, 0x7FFF),
            ac_apparent_power_va: b.u_na(40, 16, 0xFFFF).and_then(|v| u16::try_from(v).ok()),
            ac_voltage: f::volts_u(b, 56, 15, 0x7FFF),
            ac_current: f::amps_u(b, 71, 11, 0x7FF),
        }
    }

    pub(crate) fn to_json(&self) -> Value {
        json!({
            "device_state": state(self.device_state),
            "alarm_reason": self.alarm_reason.map_or(Value::Null, AlarmReason::to_json),
            "battery_voltage_v": volts(self.battery_voltage),
            "ac_apparent_power_va": int(self.ac_apparent_power_va),
            "ac_voltage_v": volts(self.ac_voltage),
            "ac_current_a": amps(self.ac_current),
        })
    }
}

/// Record 0x04, DC/DC converter (ble.md §2 0x04, [EMD] "DC/DC Converter").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DcDcRecord {
    pub device_state: Option<DeviceState>,
    pub charger_error: Option<ChargerError>,
    pub input_voltage: Option<Millivolts>,
    pub output_voltage: Option<Millivolts>,
    pub off_reason: Option<OffReason>,
}

impl DcDcRecord {
    pub(crate) fn decode(b: &Bits) -> Self {
        DcDcRecord {
            device_state: f::device_state(b, 0),
            charger_error: f::charger_error(b, 8),
            input_voltage: f::volts_u(b, 16, 16, 0xFFFF),
            output_voltage: f::volts_s(b, 32, 16, 0x7FFF),
            off_reason: b.u(48, 32).map(OffReason),
        }
    }

    pub(crate) fn to_json(&self) -> Value {
        json!({
            "device_state": state(self.device_state),
            "charger_error": f::error(self.charger_error),
            "input_voltage_v": volts(self.input_voltage),
            "output_voltage_v": volts(self.output_voltage),
            "off_reason": self.off_reason.map_or(Value::Null, OffReason::to_json),
        })
    }
}

/// Record 0x06, Inverter RS (ble.md §2 0x06, [EMD] "Inverter RS").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InverterRsRecord {
    pub device_state: Option<DeviceState>,
    pub charger_error: Option<ChargerError>,
    pub battery_voltage: Option<Millivolts>,
    pub battery_current: Option<Milliamps>,
    pub pv_power_w: Option<u16>,
    pub yield_today_wh: Option<u32>,
    pub ac_out_power_w: Option<i16>,
}

impl InverterRsRecord {
    pub(crate) fn decode(b: &Bits) -> Self {
        InverterRsRecord {
            device_state: f::device_state(b, 0),
            charger_error: f::charger_error(b, 8),
            battery_voltage: f::volts_s(b, 16, 16, 0x7FFF),
            battery_current: f::amps_s(b, 32, 16, 0x7FFF),
            pv_power_w: b.u_na(48, 16, 0xFFFF).and_then(|v| u16::try_from(v).ok()),
            yield_today_wh: f::yield_wh(b, 64),
            ac_out_power_w: b.s_na(80, 16, 0x7FFF).and_then(|v| i16::try_from(v).ok()),
        }
    }

    pub(crate) fn to_json(&self) -> Value {
        json!({
            "device_state": state(self.device_state),
            "charger_error": f::error(self.charger_error),
            "battery_voltage_v": volts(self.battery_voltage),
            "battery_current_a": amps(self.battery_current),
            "pv_power_w": int(self.pv_power_w),
            "yield_today_kwh": kwh(self.yield_today_wh),
            "ac_out_power_w": int(self.ac_out_power_w),
        })
    }
}

/// One output of an AC charger.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChargerOutput {
    pub voltage: Option<Millivolts>,
    pub current: Option<Milliamps>,
}

/// Record 0x08, AC Charger ("layout TBD" in the table, but given; ble.md §2 0x08, [EMD] "AC Charger").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AcChargerRecord {
    pub device_state: Option<DeviceState>,
    pub charger_error: Option<ChargerError>,
    /// Outputs 1–3 (13-bit 0.01 V NA 0x1FFF, 11-bit 0.1 A NA 0x7FF).
    pub outputs: [ChargerOutput; 3],
    pub temperature: Option<DeciCelsius>,
    pub ac_current: Option<Milliamps>,
}

impl AcChargerRecord {
    pub(crate) fn decode(b: &Bits) -> Self {
        let output = |start: usize| ChargerOutput {
            voltage: f::volts_u(b, start, 13, 0x1FFF),
            current: f::amps_u(b, start + 13, 11, 0x7FF),
        };
        AcChargerRecord {
            device_state: f::device_state(b, 0),
            charger_error: f::charger_error(b, 8),
            outputs: [output(16), output(40), output(64)],
            temperature: f::temperature7(b, 88),
            ac_current: f::amps_u(b, 95, 9, 0x1FF),
        }
    }

    pub(crate) fn to_json(&self) -> Value {
        let [o1, o2, o3] = &self.outputs;
        json!({
            "device_state": state(self.device_state),
            "charger_error": f::error(self.charger_error),
            "output_voltage_1_v": volts(o1.voltage),
            "output_current_1_a": amps(o1.current),
            "output_voltage_2_v": volts(o2.voltage),
            "output_current_2_a": amps(o2.current),
            "output_voltage_3_v": volts(o3.voltage),
            "output_current_3_a": amps(o3.current),
            "temperature_c": celsius(self.temperature),
            "ac_current_a": amps(self.ac_current),
        })
    }
}

/// Record 0x0B, Multi RS (ble.md §2 0x0B, [EMD] "Multi RS").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MultiRsRecord {
    pub device_state: Option<DeviceState>,
    pub charger_error: Option<ChargerError>,
    pub battery_current: Option<Milliamps>,
    pub battery_voltage: Option<Millivolts>,
    pub active_ac_in: Option<ActiveAcIn>,
    pub ac_in_power_w: Option<i16>,
    pub ac_out_power_w: Option<i16>,
    pub pv_power_w: Option<u16>,
    pub yield_today_wh: Option<u32>,
}

impl MultiRsRecord {
    pub(crate) fn decode(b: &Bits) -> Self {
        MultiRsRecord {
            device_state: f::device_state(b, 0),
            charger_error: f::charger_error(b, 8),
            battery_current: f::amps_s(b, 16, 16, 0x7FFF),
            battery_voltage: f::volts_u(b, 32, 14, 0x3FFF),
            active_ac_in: ac_in(b, 46),
            ac_in_power_w: b.s_na(48, 16, 0x7FFF).and_then(|v| i16::try_from(v).ok()),
            ac_out_power_w: b.s_na(64, 16, 0x7FFF).and_then(|v| i16::try_from(v).ok()),
            pv_power_w: b.u_na(80, 16, 0xFFFF).and_then(|v| u16::try_from(v).ok()),
            yield_today_wh: f::yield_wh(b, 96),
        }
    }

    pub(crate) fn to_json(&self) -> Value {
        json!({
            "device_state": state(self.device_state),
            "charger_error": f::error(self.charger_error),
            "battery_current_a": amps(self.battery_current),
            "battery_voltage_v": volts(self.battery_voltage),
            "active_ac_in": self.active_ac_in.map_or(Value::Null, ActiveAcIn::to_json),
            "ac_in_power_w": int(self.ac_in_power_w),
            "ac_out_power_w": int(self.ac_out_power_w),
            "pv_power_w": int(self.pv_power_w),
            "yield_today_kwh": kwh(self.yield_today_wh),
        })
    }
}

/// Record 0x0C, VE.Bus (MultiPlus/Quattro via a VE.Bus Smart dongle; ble.md §2 0x0C, [EMD] "VE.Bus"; layout
/// confirmed on real hardware, ble.md §5.5).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VeBusRecord {
    pub device_state: Option<DeviceState>,
    /// VE_REG_VEBUS_VEBUS_ERROR: VE.Bus's own error numbers, not the charger list. NA 0xFF.
    pub ve_bus_error: Option<u8>,
    pub battery_current: Option<Milliamps>,
    pub battery_voltage: Option<Millivolts>,
    pub active_ac_in: Option<ActiveAcIn>,
    pub ac_in_power_w: Option<i32>,
    pub ac_out_power_w: Option<i32>,
    pub alarm: Option<VeBusAlarm>,
    pub battery_temperature: Option<DeciCelsius>,
    pub soc: Option<Permille>,
}

impl VeBusRecord {
    pub(crate) fn decode(b: &Bits) -> Self {
        VeBusRecord {
            device_state: f::device_state(b, 0),
            ve_bus_error: b.u_na(8, 8, 0xFF).and_then(|v| u8::try_from(v).ok()),
            battery_current: f::amps_s(b, 16, 16, 0x7FFF),
            battery_voltage: f::volts_u(b, 32, 14, 0x3FFF),
            active_ac_in: ac_in(b, 46),
            ac_in_power_w: b.s_na(48, 19, 0x3_FFFF),
            ac_out_power_w: b.s_na(67, 19, 0x3_FFFF),
            alarm: b
                .u_na(86, 2, 3)
                .and_then(|v| u8::try_from(v).ok())
                .map(VeBusAlarm::from_code),
            battery_temperature: f::temperature7(b, 88),
            soc: f::soc7(b, 95),
        }
    }

    pub(crate) fn to_json(&self) -> Value {
        json!({
            "device_state": state(self.device_state),
            "ve_bus_error": int(self.ve_bus_error),
            "battery_current_a": amps(self.battery_current),
            "battery_voltage_v": volts(self.battery_voltage),
            "active_ac_in": self.active_ac_in.map_or(Value::Null, ActiveAcIn::to_json),
            "ac_in_power_w": int(self.ac_in_power_w),
            "ac_out_power_w": int(self.ac_out_power_w),
            "alarm": self.alarm.map_or(Value::Null, VeBusAlarm::to_json),
            "battery_temperature_c": celsius(self.battery_temperature),
            "soc_percent": percent(self.soc),
        })
    }
}

/// Record 0x0F, Orion XS. Not in the 2022 spec; reverse-engineered (ble.md §2 0x0F, [KESH] orion_xs.py,
/// [ESPH]). NA codes assumed all-ones per the general rule (ble.md §1.4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrionXsRecord {
    pub device_state: Option<DeviceState>,
    pub charger_error: Option<ChargerError>,
    pub output_voltage: Option<Millivolts>,
    pub output_current: Option<Milliamps>,
    pub input_voltage: Option<Millivolts>,
    pub input_current: Option<Milliamps>,
    pub off_reason: Option<OffReason>,
}

impl OrionXsRecord {
    pub(crate) fn decode(b: &Bits) -> Self {
        OrionXsRecord {
            device_state: f::device_state(b, 0),
            charger_error: f::charger_error(b, 8),
            output_voltage: f::volts_u(b, 16, 16, 0xFFFF),
            output_current: f::amps_u(b, 32, 16, 0xFFFF),
            input_voltage: f::volts_u(b, 48, 16, 0xFFFF),
            input_current: f::amps_u(b, 64, 16, 0xFFFF),
            off_reason: b.u(80, 32).map(OffReason),
        }
    }

    pub(crate) fn to_json(&self) -> Value {
        json!({
            "device_state": state(self.device_state),
            "charger_error": f::error(self.charger_error),
            "output_voltage_v": volts(self.output_voltage),
            "output_current_a": amps(self.output_current),
            "input_voltage_v": volts(self.input_voltage),
            "input_current_a": amps(self.input_current),
            "off_reason": self.off_reason.map_or(Value::Null, OffReason::to_json),
        })
    }
}

/// VE_REG_ALARM_REASON, 16 bits, no NA code in the spec.
pub(crate) fn alarm(b: &Bits, start: usize) -> Option<AlarmReason> {
    b.u(start, 16)
        .and_then(|v| u16::try_from(v).ok())
        .map(AlarmReason)
}

/// VE_REG_AC_IN_ACTIVE, 2 bits, 3 = unknown.
fn ac_in(b: &Bits, start: usize) -> Option<ActiveAcIn> {
    b.u_na(start, 2, 3)
        .and_then(|v| u8::try_from(v).ok())
        .map(ActiveAcIn::from_code)
}

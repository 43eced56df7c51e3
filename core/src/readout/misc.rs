//! The remaining documented records: 0x00 Test, 0x07 GX device, 0xFF01 SolarSense (plaintext).
use serde_json::{json, Value};

use super::bits::Bits;
use super::enums::ChargerError;
use super::fields::{self as f, celsius, int, kwh, num, percent, volts};
use crate::units::{DeciCelsius, Millivolts, Permille};

/// Record 0x00, Test record, "used by software test applications" (ble.md §2 0x00, [EMD] "Test Record").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestRecord {
    pub uptime_s: Option<u32>,
    /// The spec prints NA 0xFF for this 7-bit field; 0x7F (all ones) is what fits.
    pub temperature: Option<DeciCelsius>,
}

impl TestRecord {
    pub(crate) fn decode(b: &Bits) -> Self {
        TestRecord {
            uptime_s: b.u_na(0, 30, 0x3FFF_FFFF),
            temperature: f::temperature7(b, 30),
        }
    }

    pub(crate) fn to_json(&self) -> Value {
        json!({ "uptime_s": int(self.uptime_s), "temperature_c": celsius(self.temperature) })
    }
}

/// Record 0x07, GX device. The spec says "layout is still to be determined and might change" (ble.md §2
/// 0x07, [EMD] "GX-Device"); battery and DC power are signed ("-1 .. 1 MW") with NA 0x0FFFFF.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GxDeviceRecord {
    pub battery_voltage: Option<Millivolts>,
    pub pv_power_w: Option<u32>,
    pub soc: Option<Permille>,
    pub battery_power_w: Option<i32>,
    pub dc_power_w: Option<i32>,
}

impl GxDeviceRecord {
    pub(crate) fn decode(b: &Bits) -> Self {
        GxDeviceRecord {
            battery_voltage: f::volts_u(b, 0, 16, 0xFFFF),
            pv_power_w: b.u_na(16, 20, 0xF_FFFF),
            soc: f::soc7(b, 36),
            battery_power_w: b.s_na(43, 21, 0x0F_FFFF),
            dc_power_w: b.s_na(64, 21, 0x0F_FFFF),
        }
    }

    pub(crate) fn to_json(&self) -> Value {
        json!({
            "battery_voltage_v": volts(self.battery_voltage),
            "pv_power_w": int(self.pv_power_w),
            "soc_percent": percent(self.soc),
            "battery_power_w": int(self.battery_power_w),
            "dc_power_w": int(self.dc_power_w),
        })
    }
}

/// Record 0xFF01, SolarSense: a plaintext record (byte 4 = 0xFF, subtype byte 7 = 0x01). Not in the 2022
/// spec; layout from Victron's Venus OS parser (ble.md §2 0xFF01, [DBS] victron-solarsense.c).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SolarSenseRecord {
    /// 32-bit error code; meanings not published.
    pub error_code: Option<u32>,
    pub charger_error: Option<ChargerError>,
    pub installation_power_w: Option<u32>,
    pub yield_today_wh: Option<u32>,
    /// 0.1 W/m² steps.
    pub irradiance_dw_m2: Option<u16>,
    /// Sent as 0.1 °C + 60 °C offset.
    pub cell_temperature: Option<DeciCelsius>,
    /// Sent as 0.01 V above 1.7 V.
    pub battery_voltage: Option<Millivolts>,
    /// Bit set = 6 dBm transmit power; the value for a clear bit is not documented.
    pub high_tx_power: Option<bool>,
    pub time_since_last_sun_min: Option<u16>,
}

impl SolarSenseRecord {
    pub(crate) fn decode(b: &Bits) -> Self {
        SolarSenseRecord {
            error_code: b.u(0, 32),
            charger_error: f::charger_error(b, 32),
            installation_power_w: b.u_na(40, 20, 0xF_FFFF),
            yield_today_wh: b.u_na(60, 20, 0xF_FFFF).map(|v| v.saturating_mul(10)),
            irradiance_dw_m2: b.u_na(80, 14, 0x3FFF).and_then(|v| u16::try_from(v).ok()),
            cell_temperature: b
                .u_na(94, 11, 0x7FF)
                .and_then(|v| i16::try_from(v).ok())
                .map(|v| DeciCelsius(v - 600)),
            battery_voltage: b
                .u_na(106, 8, 0xFF)
                .and_then(|v| i32::try_from(v).ok())
                .map(|v| Millivolts(1700 + v * 10)),
            high_tx_power: b.u(114, 1).map(|v| v == 1),
            time_since_last_sun_min: b.u_na(115, 7, 0x7F).map(time_since_sun),
        }
    }

    pub(crate) fn to_json(&self) -> Value {
        json!({
            "error_code": int(self.error_code),
            "charger_error": f::error(self.charger_error),
            "installation_power_w": int(self.installation_power_w),
            "yield_today_kwh": kwh(self.yield_today_wh),
            "irradiance_w_m2": self.irradiance_dw_m2.map_or(Value::Null, |v| num(f64::from(v) / 10.0)),
            "cell_temperature_c": celsius(self.cell_temperature),
            "battery_voltage_v": volts(self.battery_voltage),
            "high_tx_power": self.high_tx_power,
            "time_since_last_sun_min": int(self.time_since_last_sun_min),
        })
    }
}

/// The tiered 7-bit "time since last sun" ([DBS]): ≤ 29 → 2 min steps; ≤ 95 → 1 h + 10 min steps;
/// ≤ 126 → 12 h + 30 min steps.
fn time_since_sun(v: u32) -> u16 {
    let v = u16::try_from(v).unwrap_or(u16::MAX);
    match v {
        0..=29 => v * 2,
        30..=95 => 60 + 10 * (v - 30),
        _ => 720u16.saturating_add(30u16.saturating_mul(v.saturating_sub(96))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_since_sun_tiers() {
        assert_eq!(time_since_sun(5), 10);
        assert_eq!(time_since_sun(29), 58);
        assert_eq!(time_since_sun(30), 60);
        assert_eq!(time_since_sun(50), 260);
        assert_eq!(time_since_sun(95), 710);
        assert_eq!(time_since_sun(96), 720);
        assert_eq!(time_since_sun(126), 1620);
    }
}

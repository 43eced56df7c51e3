//! Record types and the dispatch from type to decoder. Dispatch is on the record type only, never on the model
//! id: NG product ids are not public, and the type alone decides the layout (ble.md §3).
use alloc::vec::Vec;
use core::fmt;
use serde_json::{json, Value};

use super::battery::{
    BatteryMonitorRecord, DcEnergyMeterRecord, SmartBatteryProtectRecord, SmartLithiumRecord,
};
use super::bits::Bits;
use super::bms::BmsRecord;
use super::error::{Part, ReadoutError};
use super::hex::to_hex;
use super::misc::{GxDeviceRecord, SolarSenseRecord, TestRecord};
use super::power::{
    AcChargerRecord, DcDcRecord, InverterRecord, InverterRsRecord, MultiRsRecord, OrionXsRecord,
    SolarChargerRecord, VeBusRecord,
};

/// A record type: byte 4 of the header, or `0xFF00 | byte 7` for plaintext records (ble.md §1.2, §2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RecordType(pub u16);

impl RecordType {
    pub const TEST: RecordType = RecordType(0x00);
    pub const SOLAR_CHARGER: RecordType = RecordType(0x01);
    pub const BATTERY_MONITOR: RecordType = RecordType(0x02);
    pub const INVERTER: RecordType = RecordType(0x03);
    pub const DCDC_CONVERTER: RecordType = RecordType(0x04);
    pub const SMART_LITHIUM: RecordType = RecordType(0x05);
    pub const INVERTER_RS: RecordType = RecordType(0x06);
    pub const GX_DEVICE: RecordType = RecordType(0x07);
    pub const AC_CHARGER: RecordType = RecordType(0x08);
    pub const SMART_BATTERY_PROTECT: RecordType = RecordType(0x09);
    /// "(Lynx Smart) BMS", sent by the smallBMS NG (probably; ble.md §0).
    pub const BMS: RecordType = RecordType(0x0A);
    pub const MULTI_RS: RecordType = RecordType(0x0B);
    pub const VE_BUS: RecordType = RecordType(0x0C);
    pub const DC_ENERGY_METER: RecordType = RecordType(0x0D);
    /// Smart BMS 12/200; layout unpublished (ble.md §2 0x0E).
    pub const SMART_BMS: RecordType = RecordType(0x0E);
    pub const ORION_XS: RecordType = RecordType(0x0F);
    pub const SOLAR_SENSE: RecordType = RecordType(0xFF01);

    const NAMES: &'static [(u16, &'static str, &'static str)] = &[
        (0x00, "test_record", "Test record"),
        (0x01, "solar_charger", "Solar charger"),
        (0x02, "battery_monitor", "Battery monitor"),
        (0x03, "inverter", "Inverter"),
        (0x04, "dcdc_converter", "DC/DC converter"),
        (0x05, "smart_lithium", "SmartLithium"),
        (0x06, "inverter_rs", "Inverter RS"),
        (0x07, "gx_device", "GX device"),
        (0x08, "ac_charger", "AC charger"),
        (0x09, "smart_battery_protect", "Smart BatteryProtect"),
        (0x0A, "lynx_smart_bms", "(Lynx Smart) BMS"),
        (0x0B, "multi_rs", "Multi RS"),
        (0x0C, "ve_bus", "VE.Bus"),
        (0x0D, "dc_energy_meter", "DC energy meter"),
        (0x0E, "smart_bms", "Smart BMS"),
        (0x0F, "orion_xs", "Orion XS"),
        (0xFF01, "solar_sense", "SolarSense"),
    ];

    /// snake_case name (the vectors' `record_name`), `None` for types no source documents.
    pub fn name(self) -> Option<&'static str> {
        Self::NAMES
            .iter()
            .find(|(t, _, _)| *t == self.0)
            .map(|(_, n, _)| *n)
    }

    /// Human title ("(Lynx Smart) BMS"), or "unknown" for undocumented types.
    pub fn title(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(t, _, _)| *t == self.0)
            .map_or("unknown", |(_, _, title)| *title)
    }

    /// The type whose snake_case name this is.
    pub fn from_name(name: &str) -> Option<RecordType> {
        Self::NAMES
            .iter()
            .find(|(_, n, _)| *n == name)
            .map(|(t, _, _)| RecordType(*t))
    }
}

impl fmt::Display for RecordType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 > 0xFF {
            write!(f, "0x{:04X}", self.0)
        } else {
            write!(f, "0x{:02X}", self.0)
        }
    }
}

/// A decoded record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Record {
    Test(TestRecord),
    SolarCharger(SolarChargerRecord),
    BatteryMonitor(BatteryMonitorRecord),
    Inverter(InverterRecord),
    DcDc(DcDcRecord),
    SmartLithium(SmartLithiumRecord),
    InverterRs(InverterRsRecord),
    GxDevice(GxDeviceRecord),
    AcCharger(AcChargerRecord),
    SmartBatteryProtect(SmartBatteryProtectRecord),
    Bms(BmsRecord),
    MultiRs(MultiRsRecord),
    VeBus(VeBusRecord),
    DcEnergyMeter(DcEnergyMeterRecord),
    /// 0x0E: layout unpublished, so only the bytes (ble.md §2 0x0E).
    SmartBms {
        bytes: Vec<u8>,
    },
    OrionXs(OrionXsRecord),
    SolarSense(SolarSenseRecord),
    /// Any other type: the bytes, for display and logging.
    Unknown {
        record_type: RecordType,
        bytes: Vec<u8>,
    },
}

/// Decodes a decrypted (or plaintext) record. Bytes past the documented layout are ignored (records may grow,
/// [EMD] "should not perform an upper bound check"); documented fields the data is too short for are `None`.
/// An empty record is an error: there is nothing to show.
pub fn decode_record(record_type: RecordType, data: &[u8]) -> Result<Record, ReadoutError> {
    if data.is_empty() {
        return Err(ReadoutError::Truncated {
            part: Part::Record(record_type),
            needed: 1,
            got: 0,
        });
    }
    let b = &Bits::new(data);
    Ok(match record_type {
        RecordType::TEST => Record::Test(TestRecord::decode(b)),
        RecordType::SOLAR_CHARGER => Record::SolarCharger(SolarChargerRecord::decode(b)),
        RecordType::BATTERY_MONITOR => Record::BatteryMonitor(BatteryMonitorRecord::decode(b)),
        RecordType::INVERTER => Record::Inverter(InverterRecord::decode(b)),
        RecordType::DCDC_CONVERTER => Record::DcDc(DcDcRecord::decode(b)),
        RecordType::SMART_LITHIUM => Record::SmartLithium(SmartLithiumRecord::decode(b)),
        RecordType::INVERTER_RS => Record::InverterRs(InverterRsRecord::decode(b)),
        RecordType::GX_DEVICE => Record::GxDevice(GxDeviceRecord::decode(b)),
        RecordType::AC_CHARGER => Record::AcCharger(AcChargerRecord::decode(b)),
        RecordType::SMART_BATTERY_PROTECT => {
            Record::SmartBatteryProtect(SmartBatteryProtectRecord::decode(b))
        }
        RecordType::BMS => Record::Bms(BmsRecord::decode(b)),
        RecordType::MULTI_RS => Record::MultiRs(MultiRsRecord::decode(b)),
        RecordType::VE_BUS => Record::VeBus(VeBusRecord::decode(b)),
        RecordType::DC_ENERGY_METER => Record::DcEnergyMeter(DcEnergyMeterRecord::decode(b)),
        RecordType::SMART_BMS => Record::SmartBms {
            bytes: data.to_vec(),
        },
        RecordType::ORION_XS => Record::OrionXs(OrionXsRecord::decode(b)),
        RecordType::SOLAR_SENSE => Record::SolarSense(SolarSenseRecord::decode(b)),
        other => Record::Unknown {
            record_type: other,
            bytes: data.to_vec(),
        },
    })
}

impl Record {
    pub fn record_type(&self) -> RecordType {
        match self {
            Record::Test(_) => RecordType::TEST,
            Record::SolarCharger(_) => RecordType::SOLAR_CHARGER,
            Record::BatteryMonitor(_) => RecordType::BATTERY_MONITOR,
            Record::Inverter(_) => RecordType::INVERTER,
            Record::DcDc(_) => RecordType::DCDC_CONVERTER,
            Record::SmartLithium(_) => RecordType::SMART_LITHIUM,
            Record::InverterRs(_) => RecordType::INVERTER_RS,
            Record::GxDevice(_) => RecordType::GX_DEVICE,
            Record::AcCharger(_) => RecordType::AC_CHARGER,
            Record::SmartBatteryProtect(_) => RecordType::SMART_BATTERY_PROTECT,
            Record::Bms(_) => RecordType::BMS,
            Record::MultiRs(_) => RecordType::MULTI_RS,
            Record::VeBus(_) => RecordType::VE_BUS,
            Record::DcEnergyMeter(_) => RecordType::DC_ENERGY_METER,
            Record::SmartBms { .. } => RecordType::SMART_BMS,
            Record::OrionXs(_) => RecordType::ORION_XS,
            Record::SolarSense(_) => RecordType::SOLAR_SENSE,
            Record::Unknown { record_type, .. } => *record_type,
        }
    }

    /// The record's fields in SI units (V, A, °C, %, Ah, W, kWh, minutes); `null` = not available; enums as
    /// snake_case strings; bitmasks as `{raw, flags}`.
    pub fn to_json(&self) -> Value {
        match self {
            Record::Test(r) => r.to_json(),
            Record::SolarCharger(r) => r.to_json(),
            Record::BatteryMonitor(r) => r.to_json(),
            Record::Inverter(r) => r.to_json(),
            Record::DcDc(r) => r.to_json(),
            Record::SmartLithium(r) => r.to_json(),
            Record::InverterRs(r) => r.to_json(),
            Record::GxDevice(r) => r.to_json(),
            Record::AcCharger(r) => r.to_json(),
            Record::SmartBatteryProtect(r) => r.to_json(),
            Record::Bms(r) => r.to_json(),
            Record::MultiRs(r) => r.to_json(),
            Record::VeBus(r) => r.to_json(),
            Record::DcEnergyMeter(r) => r.to_json(),
            Record::OrionXs(r) => r.to_json(),
            Record::SolarSense(r) => r.to_json(),
            Record::SmartBms { bytes } | Record::Unknown { bytes, .. } => {
                json!({ "layout": "unknown", "raw_hex": to_hex(bytes) })
            }
        }
    }
}

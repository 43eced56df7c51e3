//! Live mirror: which part of the configured system a device heard over Bluetooth stands for, so the Live view
//! can lay real values over the diagram next to their counterparts (a smallBMS NG's record 0x0A onto the BMS; a
//! Smart BatteryProtect onto the configured BatteryProtects; chargers, DC-DC converters and MPPTs onto theirs).
use super::SystemConfig;
use crate::devices::{DeviceKind, RemoteDeviceType};
use crate::readout::Record;
use alloc::vec::Vec;

/// What a decoded record mirrors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Counterpart {
    /// The smallBMS NG itself (record 0x0A).
    Bms,
    /// The bank (a battery monitor or Smart Lithium battery).
    Bank,
    /// These configured devices (indices into the system's device list), of the same kind.
    Devices(Vec<usize>),
    /// Nothing in this system: shown on its own.
    None,
}

fn devices_where(system: &SystemConfig, pred: impl Fn(&DeviceKind) -> bool) -> Counterpart {
    let v: Vec<usize> = system
        .devices
        .iter()
        .enumerate()
        .filter(|(_, d)| pred(&d.kind))
        .map(|(i, _)| i)
        .collect();
    if v.is_empty() {
        Counterpart::None
    } else {
        Counterpart::Devices(v)
    }
}

fn remote_of(kind: &DeviceKind, t: RemoteDeviceType) -> bool {
    matches!(kind, DeviceKind::Remote(p) if p.device == t)
}

/// The counterpart of `record` in `system`.
pub fn counterpart(record: &Record, system: &SystemConfig) -> Counterpart {
    match record {
        Record::Bms(_) => Counterpart::Bms,
        Record::BatteryMonitor(_) | Record::SmartLithium(_) => Counterpart::Bank,
        Record::SmartBatteryProtect(_) => {
            devices_where(system, |k| matches!(k, DeviceKind::BatteryProtect(_)))
        }
        Record::AcCharger(_) => devices_where(system, |k| remote_of(k, RemoteDeviceType::Charger)),
        Record::DcDc(_) | Record::OrionXs(_) => {
            devices_where(system, |k| remote_of(k, RemoteDeviceType::DcDc))
        }
        Record::SolarCharger(_) => devices_where(system, |k| remote_of(k, RemoteDeviceType::Mppt)),
        Record::Inverter(_) | Record::InverterRs(_) => {
            devices_where(system, |k| remote_of(k, RemoteDeviceType::Inverter))
        }
        _ => Counterpart::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::readout::{BmsRecord, SmartBatteryProtectRecord};

    #[test]
    fn demo_counterparts() {
        let s = SystemConfig::default();
        assert_eq!(
            counterpart(&Record::Bms(BmsRecord::not_available()), &s),
            Counterpart::Bms
        );
        let bp = Record::SmartBatteryProtect(SmartBatteryProtectRecord {
            device_state: None,
            output_state: None,
            error: None,
            alarm_reason: None,
            warning_reason: None,
            input_voltage: None,
            output_voltage: None,
            off_reason: None,
        });
        assert_eq!(counterpart(&bp, &s), Counterpart::Devices(alloc::vec![0]));
        let empty = SystemConfig {
            devices: Vec::new(),
            ..SystemConfig::default()
        };
        assert_eq!(counterpart(&bp, &empty), Counterpart::None);
    }
}

//! Builders shared by the integration tests: small systems and devices in a line each.
#![allow(dead_code)] // each test crate uses its own subset
use smallbms_core::bms::BmsOutput;
use smallbms_core::devices::*;
use smallbms_core::system::*;
use smallbms_core::units::{Milliamps, Millivolts};

/// A 12.8 V bank, nominal.
pub const BANK_12: Millivolts = Millivolts(12_800);

/// The demo system (passes every rule).
pub fn demo() -> SystemConfig {
    SystemConfig::default()
}

/// The demo system with one more device.
pub fn with(device: DeviceConfig) -> SystemConfig {
    let mut c = demo();
    c.devices.push(device);
    c
}

pub fn remote_kind(device: RemoteDeviceType, logic: RemoteLogic, power: PowerRole) -> DeviceKind {
    DeviceKind::Remote(RemoteDeviceParams {
        device,
        input: RemoteInput::new(logic),
        power,
        standby: Microamps(0),
    })
}

pub fn charger(logic: RemoteLogic) -> DeviceKind {
    remote_kind(
        RemoteDeviceType::Charger,
        logic,
        PowerRole::Charger {
            output: ChargeOutput::lithium_ng_12v(Milliamps(20_000)),
        },
    )
}

pub fn inverter() -> DeviceKind {
    remote_kind(
        RemoteDeviceType::Inverter,
        RemoteLogic::ActiveHigh,
        PowerRole::Load {
            draw: Draw::Power { watts: 500 },
        },
    )
}

pub fn dc_load(amps: i32) -> DeviceKind {
    DeviceKind::DcLoad {
        draw: Draw::Current {
            current: Milliamps(amps * 1000),
        },
    }
}

pub fn relay(coil_ma: i32) -> DeviceKind {
    DeviceKind::Relay(RelayParams::relay(Milliamps(coil_ma)))
}

pub fn buzzer(ma: i32, inductive: bool) -> DeviceKind {
    DeviceKind::Buzzer(IndicatorParams {
        current: Milliamps(ma),
        inductive,
    })
}

pub fn on(output: BmsOutput) -> Control {
    Control::direct(output)
}

//! The wired system: configuration ([`SystemConfig`]), validation rules ([`rules::validate`]), wiring evaluation
//! ([`wiring`]) and the runtime of the downstream devices ([`runtime::Devices`]).
//!
//! The battery bank is not part of this configuration: the engine composes `{ bank, system }` and passes the bank's
//! nominal voltage where it matters (validation, device construction).
//!
//! # Driving one simulation step (engine side)
//! Once: `bms = Bms::new(config.bms.clone())`, `devices = Devices::new(&config, bank_nominal)`,
//! `demand = output_demand(&config)`. Then for each step to `now`:
//! 1. integrate the bank over the interval with the current of the previous instant,
//!    [`total_bank_current`]`(bms.outputs(), &demand, &devices, bank_voltage)` (µA, + = charging);
//! 2. fill [`BmsInputs`](crate::bms::BmsInputs) from the bank (`supply`, cell and temperature extremes, SoC),
//!    `remote: config.remote.terminals(supply, switch_closed)`, `bms_cable_ok`, `demand`;
//! 3. `bms.update(now, &inputs)`;
//! 4. `devices.update(now, bms.outputs(), &Environment::bank(bank_voltage))`;
//! 5. the next step ends no later than `min(bms.next_deadline(), devices.next_deadline(), …)`.
//!
//! Diff `bms.outputs()` (each output carries its level, reason and `since`) and `devices.get(i).is_active()` across
//! the update for the event log; every reason implements `Display` in plain English words, and
//! [`Localized`](crate::lang::Localized) for French.
pub mod mirror;
pub mod presets;
pub mod rules;
pub mod runtime;
pub mod wiring;

pub use rules::{validate, validate_in, Rule, RULES};
pub use runtime::{total_bank_current, Devices, Environment};
pub use wiring::{control_inputs, output_demand, switch_chain, ChainError};

use crate::bms::{BmsOutput, BmsSettings, RemoteTerminals};
use crate::devices::{
    BatteryProtectParams, BpMode, BpModel, CableKind, ChargeOutput, CyrixChargeParams, DeviceKind,
    Draw, IndicatorParams, PowerRole, RemoteDeviceParams, RemoteDeviceType, RemoteInput,
    RemoteLogic,
};
use crate::power::{Circuit, PowerWiring};
use crate::signal::Level;
use crate::units::{Milliamps, Millivolts};
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

/// The configuration format version written by this build.
pub const CONFIG_VERSION: u32 = 1;

fn current_version() -> u32 {
    CONFIG_VERSION
}

/// The smallBMS NG, what is on its remote input, and every device around it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemConfig {
    /// Format version ([`CONFIG_VERSION`]); missing = current.
    #[serde(default = "current_version")]
    pub version: u32,
    #[serde(default)]
    pub bms: BmsSettings,
    /// Rating of the fuse in the BMS supply cable (datasheet: 0.3–2.5 A, sized from LOAD + PRE-ALARM).
    pub supply_fuse: Milliamps,
    /// What is wired to Remote L/H.
    #[serde(default)]
    pub remote: RemoteWiring,
    /// Downstream devices; indices into this list identify them (`Subject::Device`, `PowerPath::behind`).
    #[serde(default)]
    pub devices: Vec<DeviceConfig>,
    /// The bank side of the power wiring: main fuse and cable, interconnects, string fuses, distribution
    /// ([`crate::power`]); missing in files saved before it existed = nothing entered.
    #[serde(default, skip_serializing_if = "crate::power::is_default")]
    pub power: PowerWiring,
}

/// One downstream device and how it is wired.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceConfig {
    pub name: String,
    pub kind: DeviceKind,
    /// Which BMS output drives its control/remote/coil terminal, through which cable; `None` = not wired to the BMS.
    #[serde(default)]
    pub control: Option<Control>,
    #[serde(default)]
    pub power_path: PowerPath,
    /// Its power cable and fuse ([`crate::power`]); missing = not entered.
    #[serde(default, skip_serializing_if = "crate::power::is_default")]
    pub circuit: Circuit,
}

/// A wire from a BMS output to a device's control terminal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Control {
    pub output: BmsOutput,
    /// Interface cable in between, if any.
    #[serde(default)]
    pub cable: Option<CableKind>,
}

impl Control {
    /// A direct wire from `output`.
    pub fn direct(output: BmsOutput) -> Control {
        Control {
            output,
            cable: None,
        }
    }
    /// A wire from `output` through `cable`.
    pub fn via(output: BmsOutput, cable: CableKind) -> Control {
        Control {
            output,
            cable: Some(cable),
        }
    }
}

/// Where a device's power comes from / goes to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PowerPath {
    /// Index of the switch (BatteryProtect, Cyrix, relay/contactor) it is wired through; `None` = straight on the
    /// bank. Switches may themselves sit behind switches.
    #[serde(default)]
    pub behind: Option<usize>,
}

/// What is wired to Remote L / Remote H. The position of a switch is a runtime input, not configuration.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RemoteWiring {
    /// A permanent wire between L and H: always on (datasheet mode 1).
    Bridged,
    /// A switch or relay contact between L and H (datasheet mode 1 while closed).
    #[default]
    SwitchLToH,
    /// H switched to battery plus (datasheet mode 3 while closed).
    SwitchHToPlus,
    /// L switched to battery minus (datasheet mode 2 while closed).
    SwitchLToMinus,
    /// Nothing connected: the BMS stays OFF (datasheet "every other condition").
    Open,
}

impl RemoteWiring {
    /// The terminal states for a BMS supplied at `supply`, with the switch (if any) `closed`.
    pub fn terminals(self, supply: Millivolts, closed: bool) -> RemoteTerminals {
        match self {
            RemoteWiring::Bridged => RemoteTerminals::BRIDGED,
            RemoteWiring::SwitchLToH if closed => RemoteTerminals::BRIDGED,
            RemoteWiring::SwitchHToPlus if closed => RemoteTerminals::h_driven(supply),
            RemoteWiring::SwitchLToMinus if closed => RemoteTerminals::L_TO_MINUS,
            _ => RemoteTerminals::OPEN,
        }
    }
    /// Whether there is a switch whose position matters.
    pub fn has_switch(self) -> bool {
        matches!(
            self,
            RemoteWiring::SwitchLToH | RemoteWiring::SwitchHToPlus | RemoteWiring::SwitchLToMinus
        )
    }
}

impl SystemConfig {
    /// The device at `index`, if any.
    pub fn device(&self, index: usize) -> Option<&DeviceConfig> {
        self.devices.get(index)
    }
}

impl DeviceConfig {
    pub fn new(name: &str, kind: DeviceKind) -> DeviceConfig {
        DeviceConfig {
            name: String::from(name),
            kind,
            control: None,
            power_path: PowerPath::default(),
            circuit: Circuit::default(),
        }
    }
    pub fn controlled_by(mut self, control: Control) -> DeviceConfig {
        self.control = Some(control);
        self
    }
    pub fn behind(mut self, switch: usize) -> DeviceConfig {
        self.power_path.behind = Some(switch);
        self
    }
    /// The level its control terminal sees for a BMS output `level` (after the cable); `None` if not wired.
    pub fn control_level(&self, output_level: impl Fn(BmsOutput) -> Level) -> Option<Level> {
        self.control
            .map(|c| crate::devices::cable::through(c.cable, output_level(c.output)))
    }
}

fn remote(device: RemoteDeviceType, logic: RemoteLogic, power: PowerRole) -> DeviceKind {
    DeviceKind::Remote(RemoteDeviceParams {
        device,
        input: RemoteInput::new(logic),
        power,
        standby: crate::devices::Microamps(0),
    })
}

impl Default for SystemConfig {
    /// A demo 12 V system that passes every rule: loads through a Smart BatteryProtect and an inverter on LOAD; a
    /// shore charger, a VE.Direct MPPT and an alternator through a Cyrix-Li-Charge on CHARGER; a buzzer on
    /// PRE-ALARM; a system on/off switch between L and H; 1 A supply fuse.
    fn default() -> Self {
        let charger = |amps: i32| PowerRole::Charger {
            output: ChargeOutput::lithium_ng_12v(Milliamps(amps * 1000)),
        };
        let devices = vec![
            DeviceConfig::new(
                "Load BatteryProtect",
                DeviceKind::BatteryProtect(BatteryProtectParams {
                    model: BpModel::SmartBp100,
                    mode: BpMode::C,
                    ..BatteryProtectParams::default()
                }),
            )
            .controlled_by(Control::direct(BmsOutput::Load)),
            DeviceConfig {
                // Sized for the DC circuit's 30 A (what its distribution is wired for), not for today's 8 A.
                circuit: Circuit {
                    current_a: Some(30),
                    ..Circuit::default()
                },
                ..DeviceConfig::new(
                    "DC loads (lights, water pump)",
                    DeviceKind::DcLoad {
                        draw: Draw::Current {
                            current: Milliamps(8000),
                        },
                    },
                )
            }
            .behind(0),
            DeviceConfig {
                // Its cable and fuse are sized for what a 1200 VA inverter can draw (1200 W / 12 V), not for
                // today's 300 W.
                circuit: Circuit {
                    current_a: Some(100),
                    ..Circuit::default()
                },
                ..DeviceConfig::new(
                    "Inverter 1200 VA",
                    remote(
                        RemoteDeviceType::Inverter,
                        RemoteLogic::ActiveHigh,
                        PowerRole::Load {
                            draw: Draw::Power { watts: 300 },
                        },
                    ),
                )
            }
            .controlled_by(Control::direct(BmsOutput::Load)),
            DeviceConfig::new(
                "Shore charger (Smart IP43 12/30)",
                remote(
                    RemoteDeviceType::Charger,
                    RemoteLogic::ActiveHigh,
                    charger(30),
                ),
            )
            .controlled_by(Control::direct(BmsOutput::Charger)),
            DeviceConfig::new(
                "Solar MPPT 100/30 (VE.Direct)",
                remote(RemoteDeviceType::Mppt, RemoteLogic::VeDirectRx, charger(30)),
            )
            .controlled_by(Control::via(
                BmsOutput::Charger,
                CableKind::VeDirectNonInverting,
            )),
            DeviceConfig::new(
                "Alternator coupler",
                DeviceKind::CyrixLiCharge(CyrixChargeParams::default()),
            )
            .controlled_by(Control::direct(BmsOutput::Charger)),
            DeviceConfig::new(
                "Alternator",
                remote(
                    RemoteDeviceType::Charger,
                    RemoteLogic::ActiveHigh,
                    charger(50),
                ),
            )
            .behind(5),
            DeviceConfig::new(
                "Pre-alarm buzzer",
                DeviceKind::Buzzer(IndicatorParams {
                    current: Milliamps(20),
                    inductive: false,
                }),
            )
            .controlled_by(Control::direct(BmsOutput::PreAlarm)),
        ];
        SystemConfig {
            version: CONFIG_VERSION,
            bms: BmsSettings::default(),
            supply_fuse: Milliamps(1000),
            remote: RemoteWiring::SwitchLToH,
            devices,
            power: PowerWiring::default(),
        }
    }
}

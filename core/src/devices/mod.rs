//! Devices the smallBMS NG drives, one module each, and [`DeviceKind`] / [`DeviceSim`], the configuration and the
//! runtime state machine of any of them behind one interface.
//!
//! Every device: `update(now, inputs)`, `next_deadline()`, a state query, a `Display`able reason. Thresholds and
//! delays are data (params structs with `Default`s), each with its source.
//!
//! Power accounting: [`DeviceSim::bank_current`] is the device's own power path (negative = draws from the bank)
//! while it runs — whether that current flows also depends on the switches it sits behind (`system::wiring`).
//! Quiescent consumption is separate ([`DeviceSim::own_consumption`], µA). Coils, buzzers, LEDs and remote inputs
//! draw from the BMS output that drives them ([`DeviceKind::control_current`]), not from the power path.
pub mod battery_protect;
pub mod cable;
pub mod coil;
pub mod cyrix_charge;
pub mod cyrix_ct;
pub mod power;
pub mod remote;

pub use battery_protect::{
    bp_code_levels, bp_code_row, BatteryProtect, BatteryProtectParams, BpAlarm, BpCode, BpMode,
    BpModel, BpOrientation, BpReason, BpTiming, BP_CODES,
};
pub use cable::CableKind;
pub use coil::{Contacts, Indicator, IndicatorParams, Relay, RelayParams};
pub use cyrix_charge::{CyrixChargeParams, CyrixChargeReason, CyrixLiCharge, CyrixVoltageClass};
pub use cyrix_ct::{CyrixCtParams, CyrixCtReason, CyrixLiCt, CyrixRating};
pub use power::{ChargeOutput, Direction, Draw, Microamps, PowerRole, SystemVoltage};
pub use remote::{
    RemoteDevice, RemoteDeviceParams, RemoteDeviceType, RemoteInput, RemoteLogic, RemoteReason,
};

use crate::lang::{write_in, Lang, Localized};
use crate::signal::Level;
use crate::units::{Milliamps, Millivolts, SimTime};
use alloc::string::String;
use core::fmt;
use serde::{Deserialize, Serialize};

/// What a device is, with its parameters (the configuration side).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceKind {
    BatteryProtect(BatteryProtectParams),
    CyrixLiCt(CyrixCtParams),
    CyrixLiCharge(CyrixChargeParams),
    /// Charger, inverter, DC-DC converter or MPPT with a remote on/off input.
    Remote(RemoteDeviceParams),
    /// A plain DC load without remote input (lights, pumps): on whenever its power path is closed.
    DcLoad {
        draw: Draw,
    },
    /// A relay or contactor coil.
    Relay(RelayParams),
    Buzzer(IndicatorParams),
    Led(IndicatorParams),
    /// A VE.Bus MultiPlus / Quattro: the smallBMS NG has no VE.Bus port and cannot control it (datasheet). Kept so
    /// the configurator can refuse it; inert in the simulation.
    VeBusMultiPlus {
        model: String,
    },
}

impl DeviceKind {
    /// What it is, in words.
    pub fn label(&self) -> &'static str {
        self.label_in(Lang::En)
    }

    /// What it is, in words, in `lang` (product names stay as they are).
    pub fn label_in(&self, lang: Lang) -> &'static str {
        match self {
            DeviceKind::BatteryProtect(p) => p.model.name(),
            DeviceKind::CyrixLiCt(_) => "Cyrix-Li-ct",
            DeviceKind::CyrixLiCharge(_) => "Cyrix-Li-Charge",
            DeviceKind::Remote(p) => match (p.device, p.input.logic) {
                (RemoteDeviceType::Charger, _) => lang.pick("charger", "chargeur"),
                (RemoteDeviceType::Inverter, _) => lang.pick("inverter", "convertisseur"),
                (RemoteDeviceType::DcDc, _) => lang.pick("DC-DC converter", "convertisseur CC-CC"),
                (RemoteDeviceType::Mppt, RemoteLogic::VeDirectRx) => {
                    lang.pick("MPPT (VE.Direct only)", "MPPT (VE.Direct uniquement)")
                }
                (RemoteDeviceType::Mppt, _) => "MPPT",
            },
            DeviceKind::DcLoad { .. } => lang.pick("DC load", "consommateur CC"),
            DeviceKind::Relay(p) if p.contactor => lang.pick("contactor", "contacteur"),
            DeviceKind::Relay(_) => lang.pick("relay", "relais"),
            DeviceKind::Buzzer(_) => lang.pick("buzzer", "avertisseur sonore"),
            DeviceKind::Led(_) => lang.pick("LED", "voyant"),
            DeviceKind::VeBusMultiPlus { .. } => "VE.Bus MultiPlus/Quattro",
        }
    }

    /// The remote/control input, for devices that have one (cables apply only to these).
    pub fn remote_input(&self) -> Option<RemoteInput> {
        match self {
            DeviceKind::BatteryProtect(p) => Some(p.remote),
            DeviceKind::CyrixLiCt(p) => Some(p.control),
            DeviceKind::CyrixLiCharge(p) => Some(p.control),
            DeviceKind::Remote(p) => Some(p.input),
            _ => None,
        }
    }

    /// Current drawn from whatever drives its control terminal while that is high: coil, lamp, buzzer or remote
    /// input current.
    pub fn control_current(&self) -> Milliamps {
        let ma = match self {
            DeviceKind::Relay(p) => p.coil_current,
            DeviceKind::Buzzer(p) | DeviceKind::Led(p) => p.current,
            other => other
                .remote_input()
                .map_or(Milliamps(0), |i| i.input_current),
        };
        Milliamps(ma.0.max(0))
    }

    /// An inductive load (relay/contactor coil, electromagnetic buzzer): not allowed on CHARGER (datasheet).
    pub fn is_inductive(&self) -> bool {
        match self {
            DeviceKind::Relay(_) => true,
            DeviceKind::Buzzer(p) | DeviceKind::Led(p) => p.inductive,
            _ => false,
        }
    }

    /// A switch other devices' power can be wired through (BatteryProtect, Cyrix, relay/contactor).
    pub fn is_switch(&self) -> bool {
        matches!(
            self,
            DeviceKind::BatteryProtect(_)
                | DeviceKind::CyrixLiCt(_)
                | DeviceKind::CyrixLiCharge(_)
                | DeviceKind::Relay(_)
        )
    }

    /// For a switch: whether current may flow through it in `direction` (BP: IN → OUT only, BP-INTRO;
    /// Cyrix-Li-Charge: charger → battery only, datasheet "unidirectional").
    pub fn switch_allows(&self, direction: Direction) -> bool {
        match self {
            DeviceKind::BatteryProtect(p) => p.orientation.direction() == direction,
            DeviceKind::CyrixLiCharge(_) => direction == Direction::ToBank,
            DeviceKind::CyrixLiCt(_) | DeviceKind::Relay(_) => true,
            _ => false,
        }
    }

    /// For a switch with a published rating: continuous amps.
    pub fn switch_rating_amps(&self) -> Option<u32> {
        match self {
            DeviceKind::BatteryProtect(p) => Some(p.model.rating_amps()),
            DeviceKind::CyrixLiCt(p) => Some(p.rating.amps()),
            DeviceKind::CyrixLiCharge(p) => Some(p.rating.amps()),
            _ => None,
        }
    }

    /// Its own power path, if it has one.
    pub fn power_role(&self) -> Option<PowerRole> {
        match self {
            DeviceKind::Remote(p) => Some(p.power),
            DeviceKind::DcLoad { draw } => Some(PowerRole::Load { draw: *draw }),
            _ => None,
        }
    }

    /// Which way its power flows, if it has a power path.
    pub fn direction(&self) -> Option<Direction> {
        self.power_role().map(|r| {
            if r.is_charger() {
                Direction::ToBank
            } else {
                Direction::ToLoad
            }
        })
    }

    /// An inverter (never behind a BatteryProtect, SBP-INV).
    pub fn is_inverter(&self) -> bool {
        matches!(self, DeviceKind::Remote(p) if p.device == RemoteDeviceType::Inverter)
            || matches!(self, DeviceKind::VeBusMultiPlus { .. })
    }

    /// The system voltages it is made for (BP by model: 12/24 V, or 48 V for the 48V-100A; Cyrix-Li-ct 12/24 V;
    /// Cyrix-Li-Charge by class). `true` for devices without a documented limit.
    pub fn supports(&self, system: SystemVoltage) -> bool {
        match self {
            DeviceKind::BatteryProtect(p) => p.model.supports(system),
            DeviceKind::CyrixLiCt(_) => system != SystemVoltage::V48,
            DeviceKind::CyrixLiCharge(p) => p.class.supports(system),
            _ => true,
        }
    }
}

/// What a device reads in one step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeviceInputs {
    /// Level on its control / remote / coil terminal after any cable; `None` = no wire from the BMS.
    pub control: Option<Level>,
    /// Bank voltage (BatteryProtect IN, Cyrix battery terminal).
    pub bank_voltage: Millivolts,
    /// Cyrix-Li-ct: the other battery's voltage; Cyrix-Li-Charge: the charger terminal's voltage.
    pub other_side: Option<Millivolts>,
    /// Cyrix-Li-ct: a start-assist pulse at this step.
    pub start_assist: bool,
}

/// Any device's runtime state machine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeviceSim {
    BatteryProtect(BatteryProtect),
    CyrixLiCt(CyrixLiCt),
    CyrixLiCharge(CyrixLiCharge),
    Remote(RemoteDevice),
    DcLoad {
        draw: Draw,
    },
    Relay(Relay),
    Indicator(Indicator),
    /// A device the BMS cannot drive (VE.Bus): never on.
    Inert,
}

impl DeviceSim {
    /// The state machine for `kind` in a `system`-volt installation.
    pub fn new(kind: &DeviceKind, system: SystemVoltage) -> DeviceSim {
        match kind {
            DeviceKind::BatteryProtect(p) => {
                DeviceSim::BatteryProtect(BatteryProtect::new(*p, system))
            }
            DeviceKind::CyrixLiCt(p) => DeviceSim::CyrixLiCt(CyrixLiCt::new(*p, system)),
            DeviceKind::CyrixLiCharge(p) => {
                DeviceSim::CyrixLiCharge(CyrixLiCharge::new(*p, system))
            }
            DeviceKind::Remote(p) => DeviceSim::Remote(RemoteDevice::new(*p)),
            DeviceKind::DcLoad { draw } => DeviceSim::DcLoad { draw: *draw },
            DeviceKind::Relay(p) => DeviceSim::Relay(Relay::new(*p, system)),
            DeviceKind::Buzzer(p) | DeviceKind::Led(p) => DeviceSim::Indicator(Indicator::new(*p)),
            DeviceKind::VeBusMultiPlus { .. } => DeviceSim::Inert,
        }
    }

    /// Applies the inputs at `now`.
    pub fn update(&mut self, now: SimTime, i: &DeviceInputs) {
        match self {
            DeviceSim::BatteryProtect(d) => d.update(now, i.bank_voltage, i.control),
            DeviceSim::CyrixLiCt(d) => {
                d.update(now, i.control, i.bank_voltage, i.other_side, i.start_assist)
            }
            DeviceSim::CyrixLiCharge(d) => d.update(
                now,
                i.control,
                i.bank_voltage,
                i.other_side.unwrap_or(Millivolts(0)),
            ),
            DeviceSim::Remote(d) => d.update(now, i.control),
            DeviceSim::Relay(d) => d.update(now, i.control),
            DeviceSim::Indicator(d) => d.update(now, i.control),
            DeviceSim::DcLoad { .. } | DeviceSim::Inert => {}
        }
    }

    /// The next instant one of its timers expires.
    pub fn next_deadline(&self) -> Option<SimTime> {
        match self {
            DeviceSim::BatteryProtect(d) => d.next_deadline(),
            DeviceSim::CyrixLiCt(d) => d.next_deadline(),
            DeviceSim::CyrixLiCharge(d) => d.next_deadline(),
            DeviceSim::Remote(d) => d.next_deadline(),
            _ => None,
        }
    }

    /// On / closed / connected / energised.
    pub fn is_active(&self) -> bool {
        match self {
            DeviceSim::BatteryProtect(d) => d.is_connected(),
            DeviceSim::CyrixLiCt(d) => d.is_closed(),
            DeviceSim::CyrixLiCharge(d) => d.is_closed(),
            DeviceSim::Remote(d) => d.is_on(),
            DeviceSim::DcLoad { .. } => true,
            DeviceSim::Relay(d) => d.is_energised(),
            DeviceSim::Indicator(d) => d.is_on(),
            DeviceSim::Inert => false,
        }
    }

    /// For a switch: whether its power contacts conduct. `false` for anything else.
    pub fn conducts(&self) -> bool {
        match self {
            DeviceSim::BatteryProtect(d) => d.is_connected(),
            DeviceSim::CyrixLiCt(d) => d.is_closed(),
            DeviceSim::CyrixLiCharge(d) => d.is_closed(),
            DeviceSim::Relay(d) => d.is_closed(),
            _ => false,
        }
    }

    /// Its own power-path current while it runs (negative = draws from the bank), regardless of upstream switches.
    pub fn bank_current(&self, bank_voltage: Millivolts) -> Milliamps {
        match self {
            DeviceSim::Remote(d) => d.bank_current(bank_voltage),
            DeviceSim::DcLoad { draw } => Milliamps(-draw.current_at(bank_voltage).0),
            _ => Milliamps(0),
        }
    }

    /// A running charger's open-circuit output voltage.
    pub fn source_voltage(&self) -> Option<Millivolts> {
        match self {
            DeviceSim::Remote(d) => d.source_voltage(),
            _ => None,
        }
    }

    /// Quiescent consumption from the bank.
    pub fn own_consumption(&self) -> Microamps {
        match self {
            DeviceSim::BatteryProtect(d) => d.own_consumption(),
            DeviceSim::CyrixLiCt(d) => d.own_consumption(),
            DeviceSim::CyrixLiCharge(d) => d.own_consumption(),
            DeviceSim::Remote(d) => d.own_consumption(),
            _ => Microamps(0),
        }
    }
}

impl Localized for DeviceSim {
    fn fmt_in(&self, f: &mut fmt::Formatter<'_>, lang: Lang) -> fmt::Result {
        match self {
            DeviceSim::BatteryProtect(d) => d.fmt_in(f, lang),
            DeviceSim::CyrixLiCt(d) => d.fmt_in(f, lang),
            DeviceSim::CyrixLiCharge(d) => d.fmt_in(f, lang),
            DeviceSim::Remote(d) => d.fmt_in(f, lang),
            DeviceSim::DcLoad { draw } => write_in!(
                f,
                lang,
                "draws {} while its supply is connected",
                "consomme {} tant que son alimentation est connectée",
                draw
            ),
            DeviceSim::Relay(d) => d.fmt_in(f, lang),
            DeviceSim::Indicator(d) => d.fmt_in(f, lang),
            DeviceSim::Inert => f.write_str(lang.pick(
                "not controllable by the smallBMS NG (VE.Bus)",
                "non commandable par le smallBMS NG (VE.Bus)",
            )),
        }
    }
}

impl fmt::Display for DeviceSim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_in(f, Lang::En)
    }
}

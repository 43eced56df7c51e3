//! Generic devices with a remote on/off input: chargers, inverters, DC-DC converters, MPPTs (victron-behaviour.md
//! §5.1). Also the [`RemoteInput`] model the BatteryProtect and Cyrix control terminals reuse.
use super::cable::CableKind;
use super::power::{Microamps, PowerRole};
use crate::bms::text::{Clock, Volts};
use crate::lang::{format_in, write_in, Lang, Localized};
use crate::signal::Level;
use crate::units::{Milliamps, Millivolts, SimTime};
use core::fmt;
use serde::{Deserialize, Serialize};

/// How a remote input decides on/off from the level on its terminal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RemoteLogic {
    /// On while the terminal is above `high_above` (H high), off when floating or below `low_below`. Wire straight
    /// to a BMS output (MPPT-REM, DCDC-REM, VBNG-SPEC: "H > 2.9 V").
    #[default]
    ActiveHigh,
    /// On while the terminal is left open (internal pull-up), off only when pulled low: needs the non-inverting
    /// cable ASS030550220 (CAB-NI: Skylla-TG, BP40i/60i/200i).
    OnWhenOpen,
    /// On while the terminal is pulled low, off when open: needs the inverting cable ASS030550120. UNCONFIRMED
    /// which products these are (the smallBMS manual's Appendix A is not public).
    OnWhenPulledLow,
    /// A VE.Direct RX pin configured as remote on/off: on at a logic high, off when low or floating; needs the
    /// VE.Direct non-inverting cable ASS030550320 (CAB-VED).
    VeDirectRx,
}

impl RemoteLogic {
    /// The interface cable a BMS output needs to switch this input the right way round (`None` = wire it
    /// directly). `system::rules` checks it; a test checks it agrees with the cables' transfer functions.
    pub fn cable(self) -> Option<CableKind> {
        match self {
            RemoteLogic::ActiveHigh => None,
            RemoteLogic::OnWhenOpen => Some(CableKind::NonInverting),
            RemoteLogic::OnWhenPulledLow => Some(CableKind::Inverting),
            RemoteLogic::VeDirectRx => Some(CableKind::VeDirectNonInverting),
        }
    }
}

/// A remote on/off input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoteInput {
    pub logic: RemoteLogic,
    /// "High" above this. 2.9 V (MPPT-REM, VBNG-SPEC; German MPPT manual: on > 3 V); for `VeDirectRx` the logic
    /// threshold, assumed 2.0 V.
    #[serde(default = "default_high")]
    pub high_above: Millivolts,
    /// "Low" below this. 2.0 V (MPPT-REM German manual: off < 2 V). Between the two the input keeps its state.
    #[serde(default = "default_low")]
    pub low_below: Millivolts,
    /// Current the input draws from whatever drives it while high (counts against the BMS output limit).
    /// UNCONFIRMED; assumed 1 mA.
    #[serde(default = "default_input_current")]
    pub input_current: Milliamps,
}

fn default_high() -> Millivolts {
    Millivolts(2900)
}
fn default_low() -> Millivolts {
    Millivolts(2000)
}
fn default_input_current() -> Milliamps {
    Milliamps(1)
}

impl Default for RemoteInput {
    fn default() -> Self {
        RemoteInput::new(RemoteLogic::ActiveHigh)
    }
}

impl RemoteInput {
    /// An input with the default thresholds for `logic`.
    pub fn new(logic: RemoteLogic) -> RemoteInput {
        RemoteInput {
            logic,
            high_above: if logic == RemoteLogic::VeDirectRx {
                Millivolts(2000)
            } else {
                default_high()
            },
            low_below: if logic == RemoteLogic::VeDirectRx {
                Millivolts(800)
            } else {
                default_low()
            },
            input_current: default_input_current(),
        }
    }

    /// Whether the device should be on with `level` on its terminal, given whether it is on now (hysteresis).
    pub fn response(&self, level: Level, was_on: bool) -> bool {
        let high = matches!(level, Level::Driven(v) if v > self.high_above);
        let low = matches!(level, Level::Driven(v) if v < self.low_below);
        match self.logic {
            RemoteLogic::ActiveHigh | RemoteLogic::VeDirectRx => match level {
                Level::Floating => false,
                Level::Driven(_) if high => true,
                Level::Driven(_) if low => false,
                Level::Driven(_) => was_on,
            },
            RemoteLogic::OnWhenOpen => match level {
                Level::Floating => true,
                Level::Driven(_) if low => false,
                Level::Driven(_) if high => true,
                Level::Driven(_) => was_on,
            },
            RemoteLogic::OnWhenPulledLow => match level {
                Level::Floating => false,
                Level::Driven(_) if low => true,
                Level::Driven(_) if high => false,
                Level::Driven(_) => was_on,
            },
        }
    }
}

/// What kind of remote-controlled device this is (labels the diagram; the power role decides the physics).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RemoteDeviceType {
    /// AC charger (Phoenix Smart IP43, Skylla…).
    Charger,
    /// Inverter (Phoenix, RS). Never behind a BatteryProtect (SBP-INV).
    Inverter,
    /// DC-DC converter (Orion): charges the bank from an alternator, or powers loads from it.
    DcDc,
    /// Solar charge controller.
    Mppt,
}

/// Parameters of a remote-controlled device.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoteDeviceParams {
    pub device: RemoteDeviceType,
    pub input: RemoteInput,
    /// Load or charger, with its current/power.
    pub power: PowerRole,
    /// Own consumption from the bank while on (not counting its power path). Assumed 0 unless set.
    #[serde(default)]
    pub standby: Microamps,
}

/// A device with a remote on/off input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemoteDevice {
    params: RemoteDeviceParams,
    on: bool,
    reason: RemoteReason,
    since: SimTime,
}

/// Why a remote device is on or off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RemoteReason {
    /// Not updated yet.
    Idle,
    /// No BMS wire on the remote input: the factory bridge keeps it on.
    NotControlled,
    /// On: the remote input reads on with this level.
    On { level: Level },
    /// Off: the remote input reads off with this level.
    Off { level: Level },
}

impl Localized for RemoteReason {
    fn fmt_in(&self, f: &mut fmt::Formatter<'_>, lang: Lang) -> fmt::Result {
        let lvl = |l: &Level| match l {
            Level::Driven(v) => format_in!(lang, "at {}", "à {}", Volts(*v)),
            Level::Floating => alloc::string::String::from(lang.pick("floating", "flottante")),
        };
        match self {
            RemoteReason::Idle => {
                f.write_str(lang.pick("off (not started)", "à l'arrêt (pas encore démarré)"))
            }
            RemoteReason::NotControlled => f.write_str(lang.pick(
                "on: remote input bridged, not controlled by the BMS",
                "en marche : entrée à distance pontée, non commandée par le BMS",
            )),
            RemoteReason::On { level } => write_in!(
                f,
                lang,
                "on: remote input {}",
                "en marche : entrée à distance {}",
                lvl(level)
            ),
            RemoteReason::Off { level } => write_in!(
                f,
                lang,
                "off: remote input {}",
                "à l'arrêt : entrée à distance {}",
                lvl(level)
            ),
        }
    }
}

impl fmt::Display for RemoteReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_in(f, Lang::En)
    }
}

impl RemoteDevice {
    pub fn new(params: RemoteDeviceParams) -> RemoteDevice {
        RemoteDevice {
            params,
            on: false,
            reason: RemoteReason::Idle,
            since: SimTime::ZERO,
        }
    }

    pub fn params(&self) -> &RemoteDeviceParams {
        &self.params
    }

    /// `control`: the level on its remote terminal after any cable; `None` = no BMS wire (factory bridge: on).
    pub fn update(&mut self, now: SimTime, control: Option<Level>) {
        let (on, reason) = match control {
            None => (true, RemoteReason::NotControlled),
            Some(level) => {
                let on = self.params.input.response(level, self.on);
                (
                    on,
                    if on {
                        RemoteReason::On { level }
                    } else {
                        RemoteReason::Off { level }
                    },
                )
            }
        };
        if on != self.on || self.reason == RemoteReason::Idle {
            self.since = now;
        }
        self.on = on;
        self.reason = reason;
    }

    /// No timers: reacts at once.
    pub fn next_deadline(&self) -> Option<SimTime> {
        None
    }

    pub fn is_on(&self) -> bool {
        self.on
    }

    pub fn reason(&self) -> &RemoteReason {
        &self.reason
    }

    /// When the on/off state last changed.
    pub fn since(&self) -> SimTime {
        self.since
    }

    /// Signed bank current while on (load negative, charger positive); zero while off.
    pub fn bank_current(&self, bank_voltage: Millivolts) -> Milliamps {
        if self.on {
            self.params.power.bank_current(bank_voltage)
        } else {
            Milliamps(0)
        }
    }

    /// The open-circuit voltage on its output while on, for a charger (what a Cyrix-Li-Charge senses).
    pub fn source_voltage(&self) -> Option<Millivolts> {
        match (self.on, self.params.power) {
            (true, PowerRole::Charger { output }) => Some(output.charge_voltage),
            _ => None,
        }
    }

    pub fn own_consumption(&self) -> Microamps {
        if self.on {
            self.params.standby
        } else {
            Microamps(0)
        }
    }
}

impl Localized for RemoteDevice {
    fn fmt_in(&self, f: &mut fmt::Formatter<'_>, lang: Lang) -> fmt::Result {
        write_in!(
            f,
            lang,
            "{} (since {})",
            "{} (depuis {})",
            self.reason.in_lang(lang),
            Clock(self.since)
        )
    }
}

impl fmt::Display for RemoteDevice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_in(f, Lang::En)
    }
}

//! Things powered straight from a BMS output: relay / contactor coils, buzzers and LEDs (victron-behaviour.md §6).
//! They draw their current from the output (counted against its limit), not from the bank's power path.
use super::power::SystemVoltage;
use crate::bms::text::Volts;
use crate::lang::{write_in, Lang, Localized};
use crate::signal::Level;
use crate::units::{Milliamps, Millivolts, SimTime};
use core::fmt;
use serde::{Deserialize, Serialize};

/// Which contacts switch the power path.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Contacts {
    /// Closed while the coil is energised.
    #[default]
    NormallyOpen,
    /// Open while the coil is energised.
    NormallyClosed,
}

/// A relay or contactor coil: an inductive load (never on CHARGER, datasheet).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelayParams {
    /// A contactor rather than a relay (label only; both are inductive).
    #[serde(default)]
    pub contactor: bool,
    /// Coil current while energised (simplification: constant).
    pub coil_current: Milliamps,
    #[serde(default)]
    pub contacts: Contacts,
    /// Pull-in voltage at 12 V (typical 70 % of rated, assumed 8.4 V; ×2 at 24 V, ×4 at 48 V).
    #[serde(default = "default_pull_in")]
    pub pull_in: Millivolts,
    /// Drop-out voltage at 12 V (typical 10 % of rated, assumed 1.2 V).
    #[serde(default = "default_drop_out")]
    pub drop_out: Millivolts,
}

fn default_pull_in() -> Millivolts {
    Millivolts(8400)
}
fn default_drop_out() -> Millivolts {
    Millivolts(1200)
}

impl RelayParams {
    /// A relay with `coil_current` and default contacts and thresholds.
    pub fn relay(coil_current: Milliamps) -> RelayParams {
        RelayParams {
            contactor: false,
            coil_current,
            contacts: Contacts::NormallyOpen,
            pull_in: default_pull_in(),
            drop_out: default_drop_out(),
        }
    }
}

/// A relay or contactor's runtime state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Relay {
    params: RelayParams,
    system: SystemVoltage,
    energised: bool,
    coil: Level,
}

impl Relay {
    pub fn new(params: RelayParams, system: SystemVoltage) -> Relay {
        Relay {
            params,
            system,
            energised: false,
            coil: Level::Floating,
        }
    }

    pub fn params(&self) -> &RelayParams {
        &self.params
    }

    /// `coil`: the level across the coil (`None` = not wired).
    pub fn update(&mut self, _now: SimTime, coil: Option<Level>) {
        let level = coil.unwrap_or(Level::Floating);
        let v = level.volts();
        if v >= self.system.scale(self.params.pull_in) {
            self.energised = true;
        } else if v < self.system.scale(self.params.drop_out) {
            self.energised = false;
        }
        self.coil = level;
    }

    pub fn is_energised(&self) -> bool {
        self.energised
    }

    /// Whether the switching contacts conduct.
    pub fn is_closed(&self) -> bool {
        match self.params.contacts {
            Contacts::NormallyOpen => self.energised,
            Contacts::NormallyClosed => !self.energised,
        }
    }
}

impl Localized for Relay {
    fn fmt_in(&self, f: &mut fmt::Formatter<'_>, lang: Lang) -> fmt::Result {
        let what = if self.params.contactor {
            lang.pick("contactor", "contacteur")
        } else {
            lang.pick("relay", "relais")
        };
        match (self.energised, self.coil) {
            (true, l) => write_in!(
                f,
                lang,
                "{} energised (coil at {})",
                "{} excité (bobine à {})",
                what,
                Volts(l.volts())
            ),
            (false, Level::Floating) => write_in!(
                f,
                lang,
                "{} released (coil not driven)",
                "{} relâché (bobine non alimentée)",
                what
            ),
            (false, l) => write_in!(
                f,
                lang,
                "{} released (coil at {})",
                "{} relâché (bobine à {})",
                what,
                Volts(l.volts())
            ),
        }
    }
}

impl fmt::Display for Relay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_in(f, Lang::En)
    }
}

/// A buzzer or LED on an output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorParams {
    /// Current while on.
    pub current: Milliamps,
    /// An electromagnetic buzzer is inductive; a piezo buzzer or an LED is not.
    #[serde(default)]
    pub inductive: bool,
}

/// A buzzer or LED's runtime state: on while its terminal is high (above 1 V, assumed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Indicator {
    params: IndicatorParams,
    on: bool,
}

/// An indicator lights / sounds above this (assumed).
pub const INDICATOR_ON_ABOVE: Millivolts = Millivolts(1000);

impl Indicator {
    pub fn new(params: IndicatorParams) -> Indicator {
        Indicator { params, on: false }
    }

    pub fn params(&self) -> &IndicatorParams {
        &self.params
    }

    pub fn update(&mut self, _now: SimTime, level: Option<Level>) {
        self.on = level.is_some_and(|l| l.volts() > INDICATOR_ON_ABOVE);
    }

    pub fn is_on(&self) -> bool {
        self.on
    }
}

impl Localized for Indicator {
    fn fmt_in(&self, f: &mut fmt::Formatter<'_>, lang: Lang) -> fmt::Result {
        f.write_str(if self.on {
            lang.pick("on", "en marche")
        } else {
            lang.pick("off", "à l'arrêt")
        })
    }
}

impl fmt::Display for Indicator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_in(f, Lang::En)
    }
}

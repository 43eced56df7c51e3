//! Cyrix-Li-ct battery combiner, 12/24 V 120 A / 230 A (CYR-CT, victron-behaviour.md §4).
//!
//! Closes when its control input is high **and** either power terminal is at least 13.4 V (26.8 V); opens at once
//! when the control floats or the voltage drops below 13.2 V (24 V: 26.4 V, an ×2 estimate). A start-assist pulse
//! closes it for 30 s. The Cyrix-ct "voltage trend" delays (CYR-LED) are not modelled (UNCONFIRMED for the Li-ct):
//! it switches at once. After opening for low voltage it waits [`CyrixCtParams::reclose_delay`] before it closes on
//! voltage again (assumed 30 s: the Cyrix-ct reverses an action only once the trend has reversed for a while,
//! CYR-LED; LED "blink every 2 s = open, about to close", CYR-CT) — without it a bank that sags below 13.2 V as soon
//! as it is combined would chatter at every step. Start assist here still obeys the BMS control (assumed: a floating
//! control always opens).
//! Contradiction §8.10: driven by the CHARGER output (datasheet, CYR-CT) — the rules enforce that.
use super::power::{Microamps, SystemVoltage};
use super::remote::RemoteInput;
use crate::bms::text::{Clock, Volts};
use crate::lang::{write_in, Lang, Localized};
use crate::signal::Level;
use crate::units::{Millis, Millivolts, SimTime};
use core::fmt;
use serde::{Deserialize, Serialize};

/// Cyrix current ratings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CyrixRating {
    #[default]
    #[serde(rename = "120a")]
    A120,
    #[serde(rename = "230a")]
    A230,
}

impl CyrixRating {
    pub fn amps(self) -> u32 {
        match self {
            CyrixRating::A120 => 120,
            CyrixRating::A230 => 230,
        }
    }
}

/// Configuration of a Cyrix-Li-ct (defaults from CYR-CT; editable).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CyrixCtParams {
    pub rating: CyrixRating,
    /// Close at or above this on either side (12 V value; CYR-CT 13.4 V / 26.8 V).
    pub close_at: Millivolts,
    /// Open below this (12 V value; CYR-CT 13.2 V; 24 V ×2 UNCONFIRMED).
    pub open_below: Millivolts,
    /// Start assist keeps it closed this long (CYR-CT: 30 s).
    pub start_assist: Millis,
    /// After opening for low voltage, it closes on voltage again only after this long (assumed 30 s, CYR-LED).
    pub reclose_delay: Millis,
    /// Control input (threshold assumed as other Victron remote inputs).
    pub control: RemoteInput,
}

impl Default for CyrixCtParams {
    fn default() -> Self {
        CyrixCtParams {
            rating: CyrixRating::A120,
            close_at: Millivolts(13_400),
            open_below: Millivolts(13_200),
            start_assist: Millis::secs(30),
            reclose_delay: Millis::secs(30),
            control: RemoteInput::default(),
        }
    }
}

/// Why the Cyrix-Li-ct is open or closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CyrixCtReason {
    Idle,
    /// Open: the control input floats (BMS CHARGER off).
    ControlOff,
    /// Open: neither side has reached the close level.
    WaitingForVoltage {
        highest: Millivolts,
        close_at: Millivolts,
    },
    /// Open: dropped below the open level.
    LowVoltage {
        highest: Millivolts,
        open_below: Millivolts,
    },
    Closed {
        highest: Millivolts,
    },
    /// Closed by a start-assist pulse until `until`.
    StartAssist {
        until: SimTime,
    },
}

impl Localized for CyrixCtReason {
    fn fmt_in(&self, f: &mut fmt::Formatter<'_>, lang: Lang) -> fmt::Result {
        match self {
            CyrixCtReason::Idle => {
                f.write_str(lang.pick("open (not started)", "ouvert (pas encore démarré)"))
            }
            CyrixCtReason::ControlOff => f.write_str(lang.pick(
                "open: control input floating (BMS CHARGER off)",
                "ouvert : entrée de commande flottante (sortie CHARGER du BMS coupée)",
            )),
            CyrixCtReason::WaitingForVoltage { highest, close_at } => write_in!(
                f,
                lang,
                "open: highest side at {}, closes at {}",
                "ouvert : côté le plus haut à {}, fermeture à {}",
                Volts(*highest),
                Volts(*close_at)
            ),
            CyrixCtReason::LowVoltage {
                highest,
                open_below,
            } => write_in!(
                f,
                lang,
                "open: voltage {} fell below {}",
                "ouvert : la tension {} est passée sous {}",
                Volts(*highest),
                Volts(*open_below)
            ),
            CyrixCtReason::Closed { highest } => write_in!(
                f,
                lang,
                "closed: control high and a side at {}",
                "fermé : contrôle haut et un côté à {}",
                Volts(*highest)
            ),
            CyrixCtReason::StartAssist { until } => write_in!(
                f,
                lang,
                "closed by start assist until {}",
                "fermé par l'aide au démarrage jusqu'à {}",
                Clock(*until)
            ),
        }
    }
}

impl fmt::Display for CyrixCtReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_in(f, Lang::En)
    }
}

/// A Cyrix-Li-ct's runtime state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CyrixLiCt {
    params: CyrixCtParams,
    system: SystemVoltage,
    control_on: bool,
    closed: bool,
    assist_until: Option<SimTime>,
    /// Opened for low voltage: no closing on voltage before this.
    reclose_at: Option<SimTime>,
    last: SimTime,
    reason: CyrixCtReason,
}

impl CyrixLiCt {
    pub fn new(params: CyrixCtParams, system: SystemVoltage) -> CyrixLiCt {
        CyrixLiCt {
            params,
            system,
            control_on: false,
            closed: false,
            assist_until: None,
            reclose_at: None,
            last: SimTime::ZERO,
            reason: CyrixCtReason::Idle,
        }
    }

    pub fn params(&self) -> &CyrixCtParams {
        &self.params
    }

    /// `control`: level on its control terminal (`None` = not wired: floating); `bank` and `other`: the two power
    /// terminals (`other` = starter battery, `None` if nothing there); `start_assist`: a start-assist pulse now.
    pub fn update(
        &mut self,
        now: SimTime,
        control: Option<Level>,
        bank: Millivolts,
        other: Option<Millivolts>,
        start_assist: bool,
    ) {
        let now = now.max(self.last);
        self.last = now;
        let level = control.unwrap_or(Level::Floating);
        self.control_on = self.params.control.response(level, self.control_on);
        let highest = other.map_or(bank, |o| o.max(bank));
        let close_at = self.system.scale(self.params.close_at);
        let open_below = self.system.scale(self.params.open_below);

        if !self.control_on {
            self.closed = false;
            self.assist_until = None;
            self.reason = CyrixCtReason::ControlOff;
            return;
        }
        if start_assist {
            self.assist_until = Some(now.after(self.params.start_assist));
        }
        if let Some(until) = self.assist_until {
            if now < until {
                self.closed = true;
                self.reason = CyrixCtReason::StartAssist { until };
                return;
            }
            self.assist_until = None;
        }
        let waiting = self.reclose_at.is_some_and(|at| now < at);
        if !waiting {
            self.reclose_at = None;
        }
        if self.closed && highest < open_below {
            self.closed = false;
            self.reclose_at = Some(now.after(self.params.reclose_delay));
            self.reason = CyrixCtReason::LowVoltage {
                highest,
                open_below,
            };
        } else if self.closed || (highest >= close_at && !waiting) {
            self.closed = true;
            self.reason = CyrixCtReason::Closed { highest };
        } else if !matches!(self.reason, CyrixCtReason::LowVoltage { .. }) {
            self.reason = CyrixCtReason::WaitingForVoltage { highest, close_at };
        }
    }

    /// The end of a start-assist period or of the wait before closing again.
    pub fn next_deadline(&self) -> Option<SimTime> {
        [self.assist_until, self.reclose_at]
            .into_iter()
            .flatten()
            .filter(|&d| d > self.last)
            .min()
    }

    pub fn is_closed(&self) -> bool {
        self.closed
    }

    pub fn reason(&self) -> &CyrixCtReason {
        &self.reason
    }

    /// Own consumption: not documented; assumed 0.
    pub fn own_consumption(&self) -> Microamps {
        Microamps(0)
    }
}

impl Localized for CyrixLiCt {
    fn fmt_in(&self, f: &mut fmt::Formatter<'_>, lang: Lang) -> fmt::Result {
        self.reason.fmt_in(f, lang)
    }
}

impl fmt::Display for CyrixLiCt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_in(f, Lang::En)
    }
}

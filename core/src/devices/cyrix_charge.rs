//! Cyrix-Li-Charge, a unidirectional charger-to-battery coupler (datasheet; CYR-CH, victron-behaviour.md §4).
//!
//! - Engages 3 s after: control input high, charger terminal at least the engage level, battery terminal ≥ 2 V.
//!   Engage level 13.7 V (27.4 / 54.8 V) by default; some sources say 13.0 V (26 / 52 V) — editable (§8.9).
//! - Disengages at once when the control floats, or the battery terminal is below 2 V.
//! - After an alarm (control floating) it re-engages 3 s after the control returns; after two such 3 s attempts the
//!   delay becomes 10 min. The attempt count clears after 10 min engaged (assumed; CYR-CH does not say).
//! - While engaged with the battery below 13.5 V (27 / 54 V) for 1 h it disengages to check whether the charger is
//!   still there, and re-engages 3 s later if the charger terminal shows a charge voltage (CYR-CH).
use super::power::{Microamps, SystemVoltage};
use super::remote::RemoteInput;
use super::CyrixRating;
use crate::bms::text::{Clock, Volts};
use crate::lang::{write_in, Lang, Localized};
use crate::signal::Level;
use crate::units::{Millis, Millivolts, SimTime};
use core::fmt;
use serde::{Deserialize, Serialize};

/// Voltage class of the Cyrix-Li-Charge (CYR-CH: 12/24 V and 24/48 V models).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CyrixVoltageClass {
    #[default]
    #[serde(rename = "12_24v")]
    V12_24,
    #[serde(rename = "24_48v")]
    V24_48,
}

impl CyrixVoltageClass {
    pub fn supports(self, system: SystemVoltage) -> bool {
        match self {
            CyrixVoltageClass::V12_24 => system != SystemVoltage::V48,
            CyrixVoltageClass::V24_48 => system != SystemVoltage::V12,
        }
    }
}

/// Configuration of a Cyrix-Li-Charge (defaults from CYR-CH; editable).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CyrixChargeParams {
    pub rating: CyrixRating,
    pub class: CyrixVoltageClass,
    /// Charger-terminal level needed to engage (12 V value): 13.7 V, or 13.0 V per some sources.
    pub engage_at: Millivolts,
    /// Battery-terminal minimum (absolute, CYR-CH: 2 V).
    pub battery_min: Millivolts,
    /// Engage delay (CYR-CH: 3 s).
    pub engage_delay: Millis,
    /// Short attempts before the long delay (CYR-CH: 2).
    pub short_attempts: u8,
    /// Delay after the short attempts are used up (CYR-CH: 10 min).
    pub long_delay: Millis,
    /// Engaged below this (12 V value; CYR-CH 13.5 V)…
    pub check_below: Millivolts,
    /// …for this long ⇒ disengage to check for the charger (CYR-CH: 1 h).
    pub check_after: Millis,
    pub control: RemoteInput,
}

impl Default for CyrixChargeParams {
    fn default() -> Self {
        CyrixChargeParams {
            rating: CyrixRating::A120,
            class: CyrixVoltageClass::V12_24,
            engage_at: Millivolts(13_700),
            battery_min: Millivolts(2000),
            engage_delay: Millis::secs(3),
            short_attempts: 2,
            long_delay: Millis::mins(10),
            check_below: Millivolts(13_500),
            check_after: Millis::hours(1),
            control: RemoteInput::default(),
        }
    }
}

/// Why the Cyrix-Li-Charge is open or closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CyrixChargeReason {
    Idle,
    /// Open: control floating (BMS CHARGER off).
    ControlOff,
    /// Open: no charge voltage on the charger terminal.
    NoChargeVoltage {
        charger_side: Millivolts,
        engage_at: Millivolts,
    },
    /// Open: battery terminal below 2 V.
    BatteryMissing {
        battery: Millivolts,
    },
    /// Open: will engage at `at`.
    Engaging {
        at: SimTime,
        attempt: u8,
    },
    Engaged {
        since: SimTime,
    },
    /// Open: disengaged after 1 h below the check level to see whether the charger is still there.
    ChargerCheck {
        at: SimTime,
    },
}

impl Localized for CyrixChargeReason {
    fn fmt_in(&self, f: &mut fmt::Formatter<'_>, lang: Lang) -> fmt::Result {
        match self {
            CyrixChargeReason::Idle => f.write_str(lang.pick("open (not started)", "ouvert (pas encore démarré)")),
            CyrixChargeReason::ControlOff => f.write_str(lang.pick(
                "open: control input floating (BMS CHARGER off)",
                "ouvert : entrée de commande flottante (sortie CHARGER du BMS coupée)",
            )),
            CyrixChargeReason::NoChargeVoltage {
                charger_side,
                engage_at,
            } => write_in!(
                f,
                lang,
                "open: charger terminal at {}, needs {}",
                "ouvert : borne côté chargeur à {}, il faut {}",
                Volts(*charger_side),
                Volts(*engage_at)
            ),
            CyrixChargeReason::BatteryMissing { battery } => write_in!(
                f,
                lang,
                "open: battery terminal at {}, below 2 V",
                "ouvert : borne batterie à {}, sous 2 V",
                Volts(*battery)
            ),
            CyrixChargeReason::Engaging { at, attempt } => write_in!(
                f,
                lang,
                "engaging at {} (attempt {})",
                "enclenchement à {} (tentative {})",
                Clock(*at),
                attempt
            ),
            CyrixChargeReason::Engaged { since } => {
                write_in!(f, lang, "engaged since {}", "enclenché depuis {}", Clock(*since))
            }
            CyrixChargeReason::ChargerCheck { at } => write_in!(
                f,
                lang,
                "disengaged at {} after 1 h below the check level, to see whether the charger is still on",
                "déclenché à {} après 1 h sous le seuil de contrôle, pour vérifier que le chargeur est toujours \
                 en marche",
                Clock(*at)
            ),
        }
    }
}

impl fmt::Display for CyrixChargeReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_in(f, Lang::En)
    }
}

/// A Cyrix-Li-Charge's runtime state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CyrixLiCharge {
    params: CyrixChargeParams,
    system: SystemVoltage,
    last: SimTime,
    control_on: bool,
    closed: bool,
    closed_since: SimTime,
    engage_at: Option<SimTime>,
    /// The next engagement follows an alarm (counts as an attempt).
    after_alarm: bool,
    attempts: u8,
    below_since: Option<SimTime>,
    reason: CyrixChargeReason,
}

impl CyrixLiCharge {
    pub fn new(params: CyrixChargeParams, system: SystemVoltage) -> CyrixLiCharge {
        CyrixLiCharge {
            params,
            system,
            last: SimTime::ZERO,
            control_on: false,
            closed: false,
            closed_since: SimTime::ZERO,
            engage_at: None,
            after_alarm: false,
            attempts: 0,
            below_since: None,
            reason: CyrixChargeReason::Idle,
        }
    }

    pub fn params(&self) -> &CyrixChargeParams {
        &self.params
    }

    /// `control`: level on its control terminal (`None` = not wired: floating); `battery`: battery terminal;
    /// `charger_side`: charger terminal (equals the battery terminal while engaged).
    pub fn update(
        &mut self,
        now: SimTime,
        control: Option<Level>,
        battery: Millivolts,
        charger_side: Millivolts,
    ) {
        let now = now.max(self.last);
        self.last = now;
        let p = self.params;
        let was_on = self.control_on;
        self.control_on = p
            .control
            .response(control.unwrap_or(Level::Floating), was_on);
        let engage_level = self.system.scale(p.engage_at);

        if !self.control_on {
            if self.closed || self.engage_at.is_some() || was_on {
                self.after_alarm = true;
            }
            self.open(CyrixChargeReason::ControlOff);
            return;
        }
        if battery < p.battery_min {
            self.open(CyrixChargeReason::BatteryMissing { battery });
            return;
        }
        if self.closed {
            if now.since(self.closed_since) >= p.long_delay {
                self.attempts = 0;
            }
            if battery < self.system.scale(p.check_below) {
                let since = *self.below_since.get_or_insert(now);
                if now.since(since) >= p.check_after {
                    self.open(CyrixChargeReason::ChargerCheck { at: now });
                }
            } else {
                self.below_since = None;
            }
            return;
        }
        if charger_side < engage_level {
            self.engage_at = None;
            if !matches!(self.reason, CyrixChargeReason::ChargerCheck { .. }) {
                self.reason = CyrixChargeReason::NoChargeVoltage {
                    charger_side,
                    engage_at: engage_level,
                };
            }
            return;
        }
        let delay = if self.after_alarm && self.attempts >= p.short_attempts {
            p.long_delay
        } else {
            p.engage_delay
        };
        let at = *self.engage_at.get_or_insert(now.after(delay));
        if now >= at {
            self.closed = true;
            self.closed_since = now;
            self.engage_at = None;
            self.below_since = None;
            if self.after_alarm {
                self.attempts = self.attempts.saturating_add(1);
                self.after_alarm = false;
            }
            self.reason = CyrixChargeReason::Engaged { since: now };
        } else {
            self.reason = CyrixChargeReason::Engaging {
                at,
                attempt: self.attempts.saturating_add(1),
            };
        }
    }

    fn open(&mut self, reason: CyrixChargeReason) {
        self.closed = false;
        self.engage_at = None;
        self.below_since = None;
        self.reason = reason;
    }

    /// The engage delay, the 1 h check, or the 10 min attempt reset.
    pub fn next_deadline(&self) -> Option<SimTime> {
        let p = self.params;
        let check = self.below_since.map(|s| s.after(p.check_after));
        let reset = if self.closed && self.attempts > 0 {
            Some(self.closed_since.after(p.long_delay))
        } else {
            None
        };
        [self.engage_at, check, reset]
            .into_iter()
            .flatten()
            .filter(|&d| d > self.last)
            .min()
    }

    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// Engagements after an alarm since the count last cleared.
    pub fn attempts(&self) -> u8 {
        self.attempts
    }

    pub fn reason(&self) -> &CyrixChargeReason {
        &self.reason
    }

    /// Own consumption: not documented; assumed 0.
    pub fn own_consumption(&self) -> Microamps {
        Microamps(0)
    }
}

impl Localized for CyrixLiCharge {
    fn fmt_in(&self, f: &mut fmt::Formatter<'_>, lang: Lang) -> fmt::Result {
        self.reason.fmt_in(f, lang)
    }
}

impl fmt::Display for CyrixLiCharge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_in(f, Lang::En)
    }
}

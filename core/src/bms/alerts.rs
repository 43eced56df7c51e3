//! Warnings, alarms and error numbers of the smallBMS NG.
use super::outputs::OutputFlags;
use crate::lang::{Lang, Localized};
use core::fmt;
use serde::{Deserialize, Serialize};

/// One warning/alarm channel's state (Venus OS semantics: 0 = OK, 1 = warning, 2 = alarm; DBUS-WIKI).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum AlarmLevel {
    #[default]
    Ok,
    Warning,
    Alarm,
}

impl AlarmLevel {
    pub fn is_ok(self) -> bool {
        self == AlarmLevel::Ok
    }
}

/// The warning/alarm channels. Names follow the NG BMS Instant Readout channels (BLE-LSBMS) where one exists.
///
/// Mapping (assumed; the smallBMS NG manual is not public): *warning* = approaching a limit, output still on;
/// *alarm* = an output is off because of it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alerts {
    /// Warning: a cell below the pre-alarm level. Alarm: below under-voltage, or LOAD latched off for it.
    pub low_cell_voltage: AlarmLevel,
    /// Alarm: CHARGER off for cell over-voltage.
    pub high_cell_voltage: AlarmLevel,
    /// Warning: SoC in the band above the discharge floor. Alarm: at the floor, LOAD off (datasheet).
    pub low_soc: AlarmLevel,
    /// Alarm: an output is off because a battery is below its temperature window.
    pub low_temperature: AlarmLevel,
    /// Alarm: an output is off because a battery is above its temperature window.
    pub high_temperature: AlarmLevel,
    /// Alarm: the BMS-cable chain is broken (error #32).
    pub bms_cable: AlarmLevel,
    /// Outputs asked for more current than their datasheet limit (1 A / 500 mA / 500 mA). The outputs are not
    /// short-circuit protected; the simulator only warns.
    pub overload: OutputFlags,
}

impl Alerts {
    /// The channels with their English names, for lists in the UI (overload counted as a warning). The names also
    /// identify the channels in the event log.
    pub fn channels(&self) -> [(&'static str, AlarmLevel); 7] {
        self.channels_in(Lang::En)
    }
    /// [`Alerts::channels`] with the names in `lang`, in the same order.
    pub fn channels_in(&self, lang: Lang) -> [(&'static str, AlarmLevel); 7] {
        let overload = if self.overload.any() {
            AlarmLevel::Warning
        } else {
            AlarmLevel::Ok
        };
        let name = |en, fr| lang.pick(en, fr);
        [
            (
                name("low cell voltage", "tension de cellule basse"),
                self.low_cell_voltage,
            ),
            (
                name("high cell voltage", "tension de cellule haute"),
                self.high_cell_voltage,
            ),
            (
                name("low state of charge", "état de charge bas"),
                self.low_soc,
            ),
            (
                name("low temperature", "température basse"),
                self.low_temperature,
            ),
            (
                name("high temperature", "température haute"),
                self.high_temperature,
            ),
            (name("BMS cable", "câble BMS"), self.bms_cable),
            (name("output overload", "surcharge de sortie"), overload),
        ]
    }
    /// The worst level over all channels.
    pub fn worst(&self) -> AlarmLevel {
        self.channels()
            .iter()
            .map(|(_, l)| *l)
            .max()
            .unwrap_or(AlarmLevel::Ok)
    }
}

/// A BMS error, numbered as VE_REG_BMS_ERROR (VEUTIL-ERR, victron-behaviour.md §1.10). Which numbers the smallBMS NG
/// really raises is unconfirmed; [`BmsError::confirmed`] says which mapping has a source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BmsError {
    /// #2 "No batteries connected": cable chain intact but no battery answers. Mapping UNCONFIRMED.
    NoBatteries,
    /// #32 "BMS cable error" (VEUTIL-ERR; NG BMSes expose a BmsCable alarm, BLE-LSBMS).
    BmsCable,
}

impl BmsError {
    /// The number shown as "#n".
    pub fn number(self) -> u8 {
        match self {
            BmsError::NoBatteries => 2,
            BmsError::BmsCable => 32,
        }
    }
    /// Whether a source ties this condition to this number for an NG BMS.
    pub fn confirmed(self) -> bool {
        matches!(self, BmsError::BmsCable)
    }
}

impl Localized for BmsError {
    fn fmt_in(&self, f: &mut fmt::Formatter<'_>, lang: Lang) -> fmt::Result {
        let text = match self {
            BmsError::NoBatteries => {
                lang.pick("No batteries connected", "Aucune batterie connectée")
            }
            BmsError::BmsCable => lang.pick("BMS cable error", "Erreur de câble BMS"),
        };
        write!(f, "#{} {}", self.number(), text)
    }
}

impl fmt::Display for BmsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_in(f, Lang::En)
    }
}

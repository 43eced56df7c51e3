//! What the smallBMS NG presents after a step: output levels with the reason for each, alerts, error code, LEDs and
//! own consumption.
use super::alerts::{Alerts, BmsError};
use super::inputs::{BmsOutput, OutputCurrents, RemoteMode};
use super::led::LedState;
use super::text::{Celsius, Clock, Duration, Percent, Volts};
use crate::devices::Microamps;
use crate::lang::{write_in, Lang, Localized};
use crate::signal::Level;
use crate::units::{DeciCelsius, Milliamps, Millivolts, Permille, SimTime};
use core::fmt;
use serde::{Deserialize, Serialize};

/// Why both LOAD and CHARGER float regardless of the batteries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SystemOff {
    /// Supply below the 8 V minimum: the BMS is unpowered (datasheet 8–70 V).
    SupplyLow {
        supply: Millivolts,
        minimum: Millivolts,
    },
    /// Supply above the 70 V maximum (datasheet 8–70 V): outside its operating range the BMS is taken as off
    /// (assumed; the datasheet gives the range, not what happens above it, which may be damage).
    SupplyHigh {
        supply: Millivolts,
        maximum: Millivolts,
    },
    /// The BMS-cable chain is broken (error #32; LSBNG-COM commissioning test).
    BmsCable,
    /// Cable intact but no battery reports cell data (error #2, mapping unconfirmed).
    NoBatteryData,
    /// The remote input reads OFF (datasheet: both outputs float).
    RemoteOff,
}

impl Localized for SystemOff {
    fn fmt_in(&self, f: &mut fmt::Formatter<'_>, lang: Lang) -> fmt::Result {
        match self {
            SystemOff::SupplyLow { supply, minimum } => write_in!(
                f,
                lang,
                "the BMS supply is {}, below its {} minimum, so the BMS is off",
                "l'alimentation du BMS est à {}, sous son minimum de {} : le BMS est éteint",
                Volts(*supply),
                Volts(*minimum)
            ),
            SystemOff::SupplyHigh { supply, maximum } => write_in!(
                f,
                lang,
                "the BMS supply is {}, above its {} maximum (operating range 8–70 V), so the BMS is off and may be \
                 damaged",
                "l'alimentation du BMS est à {}, au-dessus de son maximum de {} (plage de fonctionnement 8–70 V) : \
                 le BMS est éteint et risque d'être endommagé",
                Volts(*supply),
                Volts(*maximum)
            ),
            SystemOff::BmsCable => f.write_str(lang.pick(
                "the BMS-cable chain is broken (error #32): the BMS cannot see every battery",
                "la chaîne des câbles BMS est interrompue (erreur #32) : le BMS ne voit pas toutes les batteries",
            )),
            SystemOff::NoBatteryData => f.write_str(lang.pick(
                "no battery reports cell data (no batteries connected)",
                "aucune batterie ne transmet de données de cellule (aucune batterie connectée)",
            )),
            SystemOff::RemoteOff => f.write_str(lang.pick(
                "the remote on/off input is OFF (L and H not bridged, L not below 3.50 V, H not above 2.90 V)",
                "l'entrée marche/arrêt à distance est sur OFF (L et H non pontées, L pas sous 3.50 V, H pas \
                 au-dessus de 2.90 V)",
            )),
        }
    }
}

impl fmt::Display for SystemOff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_in(f, Lang::En)
    }
}

/// A cell that crossed a limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellTrip {
    /// Battery index (0-based).
    pub battery: u16,
    /// Cell index in that battery (0-based).
    pub cell: u16,
    /// The cell's voltage when the output switched.
    pub voltage: Millivolts,
    /// The limit it crossed.
    pub threshold: Millivolts,
    /// Every cell must cross back past this before the output returns.
    pub recovery: Millivolts,
    /// When the output switched.
    pub at: SimTime,
}

/// Which side of a temperature window was left.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TempSide {
    TooCold,
    TooHot,
}

/// A battery temperature outside the window an output needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TempTrip {
    /// Battery index (0-based).
    pub battery: u16,
    pub temperature: DeciCelsius,
    pub side: TempSide,
    /// The window's limits.
    pub min: DeciCelsius,
    pub max: DeciCelsius,
    pub at: SimTime,
}

impl TempTrip {
    /// Describes the trip against the charging (`charging`) or discharging window.
    fn describe(&self, f: &mut fmt::Formatter<'_>, lang: Lang, charging: bool) -> fmt::Result {
        let word = match self.side {
            TempSide::TooCold => lang.pick("below", "sous"),
            TempSide::TooHot => lang.pick("above", "au-dessus de"),
        };
        let window = if charging {
            lang.pick("charging", "charge")
        } else {
            lang.pick("discharging", "décharge")
        };
        write_in!(
            f,
            lang,
            "battery {} is at {}, {} the {} window ({} … {}) since {}",
            "la batterie {} est à {}, {} la plage de {} ({} … {}) depuis {}",
            u32::from(self.battery) + 1,
            Celsius(self.temperature),
            word,
            window,
            Celsius(self.min),
            Celsius(self.max),
            Clock(self.at)
        )
    }
}

/// Why LOAD (load disconnect, "ATD") floats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LoadOff {
    System(SystemOff),
    /// A cell stayed below the under-voltage level after the pre-alarm had been high for the lead time
    /// (datasheet: ≥ 30 s); latched until every cell reaches the recovery level (assumed 3.20 V).
    CellUnderVoltage {
        trip: CellTrip,
        /// When the pre-alarm output went high.
        pre_alarm_since: SimTime,
    },
    /// SoC at or below the discharge floor: off immediately (datasheet); back once above floor + band (assumed).
    DischargeFloor {
        soc: Permille,
        floor: Permille,
        resume: Permille,
        at: SimTime,
    },
    /// Battery temperature outside the discharge window (assumed −20…+50 °C, NG12-TD).
    Temperature(TempTrip),
}

impl Localized for LoadOff {
    fn fmt_in(&self, f: &mut fmt::Formatter<'_>, lang: Lang) -> fmt::Result {
        match self {
            LoadOff::System(s) => s.fmt_in(f, lang),
            LoadOff::CellUnderVoltage {
                trip,
                pre_alarm_since,
            } => write_in!(
                f,
                lang,
                "cell {} of battery {} stayed below {} ({} at {}); the pre-alarm had been high for {} \
                 (since {}); loads stay off until every cell is at least {}",
                "la cellule {} de la batterie {} est restée sous {} ({} à {}) ; la préalarme était active depuis \
                 {} (à partir de {}) ; les consommateurs restent coupés jusqu'à ce que chaque cellule soit à au \
                 moins {}",
                u32::from(trip.cell) + 1,
                u32::from(trip.battery) + 1,
                Volts(trip.threshold),
                Volts(trip.voltage),
                Clock(trip.at),
                Duration(trip.at.since(*pre_alarm_since)),
                Clock(*pre_alarm_since),
                Volts(trip.recovery)
            ),
            LoadOff::DischargeFloor {
                soc,
                floor,
                resume,
                at,
            } => write_in!(
                f,
                lang,
                "state of charge {} reached the {} discharge floor at {} (low-SoC alarm); loads come back \
                 above {}",
                "l'état de charge {} a atteint le seuil de décharge de {} à {} (alarme d'état de charge bas) ; \
                 les consommateurs reviennent au-dessus de {}",
                Percent(*soc),
                Percent(*floor),
                Clock(*at),
                Percent(*resume)
            ),
            LoadOff::Temperature(t) => t.describe(f, lang, false),
        }
    }
}

impl fmt::Display for LoadOff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_in(f, Lang::En)
    }
}

/// Why CHARGER (charge disconnect, "ATC") floats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChargerOff {
    System(SystemOff),
    /// A cell reached the over-voltage level (assumed 3.65 V); back once every cell is below the recovery level.
    CellOverVoltage(CellTrip),
    /// Battery temperature outside the charge window (assumed +5…+50 °C, NG51-TD).
    Temperature(TempTrip),
}

impl Localized for ChargerOff {
    fn fmt_in(&self, f: &mut fmt::Formatter<'_>, lang: Lang) -> fmt::Result {
        match self {
            ChargerOff::System(s) => s.fmt_in(f, lang),
            ChargerOff::CellOverVoltage(t) => write_in!(
                f,
                lang,
                "cell {} of battery {} reached {} (limit {}) at {}; charging resumes when every cell is \
                 below {}",
                "la cellule {} de la batterie {} a atteint {} (limite {}) à {} ; la charge reprend quand chaque \
                 cellule est sous {}",
                u32::from(t.cell) + 1,
                u32::from(t.battery) + 1,
                Volts(t.voltage),
                Volts(t.threshold),
                Clock(t.at),
                Volts(t.recovery)
            ),
            ChargerOff::Temperature(t) => t.describe(f, lang, true),
        }
    }
}

impl fmt::Display for ChargerOff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_in(f, Lang::En)
    }
}

/// Why PRE-ALARM is high.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PreAlarmOn {
    /// A cell is below the pre-alarm level (assumed 3.10 V) — or below under-voltage.
    LowCell {
        battery: u16,
        cell: u16,
        voltage: Millivolts,
        threshold: Millivolts,
    },
    /// LOAD is off for cell under-voltage and not yet recovered.
    UnderVoltageShutdown,
    /// SoC is within the warning band above the discharge floor, or at the floor (datasheet).
    LowSoc { soc: Permille, warn_at: Permille },
}

impl Localized for PreAlarmOn {
    fn fmt_in(&self, f: &mut fmt::Formatter<'_>, lang: Lang) -> fmt::Result {
        match self {
            PreAlarmOn::LowCell {
                battery,
                cell,
                voltage,
                threshold,
            } => write_in!(
                f,
                lang,
                "cell {} of battery {} is at {}, below the {} pre-alarm level",
                "la cellule {} de la batterie {} est à {}, sous le seuil de préalarme de {}",
                u32::from(*cell) + 1,
                u32::from(*battery) + 1,
                Volts(*voltage),
                Volts(*threshold)
            ),
            PreAlarmOn::UnderVoltageShutdown => f.write_str(lang.pick(
                "loads are off for cell under-voltage and the cells have not recovered",
                "les consommateurs sont coupés pour sous-tension de cellule et les cellules ne sont pas \
                 remontées",
            )),
            PreAlarmOn::LowSoc { soc, warn_at } => write_in!(
                f,
                lang,
                "state of charge {} is at or below {}, approaching the discharge floor",
                "l'état de charge {} est à {} ou moins : le seuil de décharge est proche",
                Percent(*soc),
                Percent(*warn_at)
            ),
        }
    }
}

impl fmt::Display for PreAlarmOn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_in(f, Lang::En)
    }
}

/// A normally-high output (LOAD or CHARGER): its level, why it floats, and since when it is in this state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SwitchedOutput<R> {
    /// `Driven(Vbat − 0.1 V)` when allowed, `Floating` when not.
    pub level: Level,
    /// `None` while high; the main reason while floating (highest priority first: supply, cable, no data,
    /// remote, then the battery causes).
    pub off: Option<R>,
    /// When the level last changed.
    pub since: SimTime,
}

impl<R: fmt::Display> fmt::Display for SwitchedOutput<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.off, self.level) {
            (Some(r), _) => write!(f, "floating: {r}"),
            (None, Level::Driven(v)) => write!(f, "high ({})", Volts(v)),
            (None, Level::Floating) => f.write_str("floating"),
        }
    }
}

impl<R: Localized> Localized for SwitchedOutput<R> {
    fn fmt_in(&self, f: &mut fmt::Formatter<'_>, lang: Lang) -> fmt::Result {
        match (&self.off, self.level) {
            (Some(r), _) => write_in!(f, lang, "floating: {}", "flottante : {}", r.in_lang(lang)),
            (None, Level::Driven(v)) => write_in!(f, lang, "high ({})", "haute ({})", Volts(v)),
            (None, Level::Floating) => f.write_str(lang.pick("floating", "flottante")),
        }
    }
}

/// The PRE-ALARM output: normally floating, high with a cause.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreAlarmOutput {
    pub level: Level,
    /// `Some` exactly while high.
    pub cause: Option<PreAlarmOn>,
    /// When the level last changed.
    pub since: SimTime,
}

impl Localized for PreAlarmOutput {
    fn fmt_in(&self, f: &mut fmt::Formatter<'_>, lang: Lang) -> fmt::Result {
        match (&self.cause, self.level) {
            (Some(c), Level::Driven(v)) => write_in!(
                f,
                lang,
                "high ({}): {}",
                "haut ({}) : {}",
                Volts(v),
                c.in_lang(lang)
            ),
            _ => f.write_str(lang.pick("floating (no alarm)", "flottant (pas d'alarme)")),
        }
    }
}

impl fmt::Display for PreAlarmOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_in(f, Lang::En)
    }
}

/// Per-output flags.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputFlags {
    pub load: bool,
    pub charger: bool,
    pub pre_alarm: bool,
}

impl OutputFlags {
    pub fn get(&self, output: BmsOutput) -> bool {
        match output {
            BmsOutput::Load => self.load,
            BmsOutput::Charger => self.charger,
            BmsOutput::PreAlarm => self.pre_alarm,
        }
    }
    pub fn any(&self) -> bool {
        self.load || self.charger || self.pre_alarm
    }
}

/// Everything the BMS presents after [`Bms::update`](super::Bms::update). Serialisable for traces and the web;
/// not deserialisable (LED meanings are static text).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BmsOutputs {
    /// The supply is inside the datasheet range, 8–70 V.
    pub powered: bool,
    /// Why the remote input reads ON; `None` = OFF (or unpowered).
    pub remote: Option<RemoteMode>,
    /// Load disconnect (ATD).
    pub load: SwitchedOutput<LoadOff>,
    /// Charge disconnect (ATC).
    pub charger: SwitchedOutput<ChargerOff>,
    pub pre_alarm: PreAlarmOutput,
    pub alerts: Alerts,
    /// The error shown as "#n"; `None` = no error.
    pub error: Option<BmsError>,
    /// Bluetooth LED (datasheet: blue = Bluetooth status).
    pub blue_led: LedState,
    /// Warning/alarm LED (datasheet: red = warnings and alarm errors).
    pub red_led: LedState,
    /// Own consumption from the supply, excluding what the outputs source (datasheet 3 / 1.2 / 1.2 mA).
    pub own_consumption: Microamps,
}

impl BmsOutputs {
    /// The level on one output terminal.
    pub fn level(&self, output: BmsOutput) -> Level {
        match output {
            BmsOutput::Load => self.load.level,
            BmsOutput::Charger => self.charger.level,
            BmsOutput::PreAlarm => self.pre_alarm.level,
        }
    }

    /// What each output actually sources, given what is wired to it: the demand while high, zero while floating.
    pub fn sourced(&self, demand: &OutputCurrents) -> OutputCurrents {
        let mut out = OutputCurrents::default();
        for o in BmsOutput::ALL {
            if self.level(o).is_high() {
                *out.get_mut(o) = Milliamps(demand.get(o).0.max(0));
            }
        }
        out
    }

    /// Everything the BMS takes from its supply: own consumption plus what the outputs source.
    pub fn supply_current(&self, demand: &OutputCurrents) -> Microamps {
        let sourced = Microamps::from_milliamps(self.sourced(demand).total());
        Microamps(self.own_consumption.0.saturating_add(sourced.0))
    }
}

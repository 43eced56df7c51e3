//! The LFP cell model and the bank of Lithium NG batteries: configuration, derived figures, validation against
//! the smallBMS NG datasheet's bank limits, and the electrical simulation ([`Bank`]).
mod bank;
pub mod ocv;
mod validate;

pub use bank::{Bank, BankState, CellRef};
pub use validate::{validate, validate_in};

use crate::catalogue::{BatteryModel, ModelRef};
use crate::lang::{write_in, Lang, Localized};
use crate::units::{DeciCelsius, MilliampHours, Millivolts, Permille};
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use serde::{Deserialize, Serialize};

/// The largest bank the simulator builds (cells in total); beyond it, [`BankError::TooLarge`].
pub const MAX_CELLS: usize = 4096;

/// How cells differ from one another.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CellSpread {
    /// Every cell the same (default).
    #[default]
    Identical,
    /// A reproducible random spread: each cell's capacity within ±`capacity_pct` % and its starting state of
    /// charge within ±`soc_pct` % of the bank's.
    Seeded {
        seed: u64,
        capacity_pct: f64,
        soc_pct: f64,
    },
}

/// One battery that is not the bank's model (a mixed bank, which validation refuses).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatteryOverride {
    /// Battery index: string × series + position, from 0.
    pub battery: usize,
    pub model: ModelRef,
}

/// The battery bank: `series` batteries in each string, `parallel` strings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BankConfig {
    pub model: ModelRef,
    pub series: u8,
    pub parallel: u8,
    #[serde(default)]
    pub overrides: Vec<BatteryOverride>,
    /// State of charge every cell starts at.
    pub initial_soc: Permille,
    /// Temperature of every battery at the start.
    pub ambient: DeciCelsius,
    #[serde(default)]
    pub spread: CellSpread,
    /// Self-discharge in tenths of a percent of capacity per month (default 2 %/month: anchors.md §4.3, editable).
    #[serde(default = "default_self_discharge")]
    pub self_discharge_permille_per_month: u16,
    /// One-state voltage hysteresis of the LFP plateau (anchors.md §4.1, PyBaMM one-state model); off by default.
    #[serde(default)]
    pub hysteresis: bool,
}

fn default_self_discharge() -> u16 {
    20
}

impl Default for BankConfig {
    /// The demo bank: 4 × Lithium NG 12.8 V 200 Ah in parallel, full, at 25 °C.
    fn default() -> Self {
        BankConfig {
            model: ModelRef::Builtin("ng-12v8-200".into()),
            series: 1,
            parallel: 4,
            overrides: Vec::new(),
            initial_soc: Permille::FULL,
            ambient: DeciCelsius(250),
            spread: CellSpread::Identical,
            self_discharge_permille_per_month: default_self_discharge(),
            hysteresis: false,
        }
    }
}

/// Why a bank cannot be built at all (as opposed to a [`crate::finding::Finding`], which is about limits).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BankError {
    /// The model id is not in the catalogue.
    UnknownModel(String),
    /// Zero in series or zero strings.
    NoBatteries,
    /// More cells than the simulator builds.
    TooLarge { cells: usize },
    /// A custom model with impossible figures.
    InvalidModel(String),
}

impl Localized for BankError {
    fn fmt_in(&self, f: &mut fmt::Formatter<'_>, lang: Lang) -> fmt::Result {
        match self {
            BankError::UnknownModel(id) => write_in!(
                f,
                lang,
                "no battery model is called \"{}\"; pick one from the list",
                "aucun modèle de batterie ne s'appelle « {} » ; choisissez-en un dans la liste",
                id
            ),
            BankError::NoBatteries => f.write_str(lang.pick(
                "the bank has no batteries: set at least 1 in series and 1 string",
                "le parc n'a aucune batterie : réglez au moins 1 batterie en série et 1 chaîne",
            )),
            BankError::TooLarge { cells } => write_in!(
                f,
                lang,
                "{} cells is more than this simulator builds ({}); a smallBMS NG manages at most 50 batteries \
                 anyway",
                "{} cellules, c'est plus que ce que ce simulateur construit ({}) ; un smallBMS NG gère de toute \
                 façon au plus 50 batteries",
                cells,
                MAX_CELLS
            ),
            BankError::InvalidModel(why) => {
                // The reasons are the fixed texts of `MODEL_FAULTS`; anything else is shown as it is.
                let why = match lang {
                    Lang::En => why.as_str(),
                    Lang::Fr => MODEL_FAULTS
                        .iter()
                        .find(|(en, _)| en == why)
                        .map_or(why.as_str(), |(_, fr)| fr),
                };
                write_in!(
                    f,
                    lang,
                    "the custom battery model is not usable: {}",
                    "le modèle de batterie personnalisé n'est pas utilisable : {}",
                    why
                )
            }
        }
    }
}

impl fmt::Display for BankError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_in(f, Lang::En)
    }
}

/// Why a custom model is unusable ([`BankError::InvalidModel`]), in English and French.
const NO_CELLS: (&str, &str) = (
    "it has no cells in series",
    "il n'a aucune cellule en série",
);
const NO_CAPACITY: (&str, &str) = (
    "its capacity must be above 0 Ah",
    "sa capacité doit être supérieure à 0 Ah",
);
const NO_VOLTAGE: (&str, &str) = (
    "its nominal voltage must be above 0 V",
    "sa tension nominale doit être supérieure à 0 V",
);
const MODEL_FAULTS: [(&str, &str); 3] = [NO_CELLS, NO_CAPACITY, NO_VOLTAGE];

fn invalid_model(fault: (&str, &str)) -> BankError {
    BankError::InvalidModel(fault.0.into())
}

/// Figures of a bank, derived from its configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BankFigures {
    pub model: BatteryModel,
    pub nominal_voltage: Millivolts,
    pub capacity: MilliampHours,
    pub energy_wh: u64,
    pub batteries: u32,
    pub cells: u32,
    /// 12, 24 or 48 when the nominal voltage is one of the datasheet's system voltages.
    pub system_voltage_class: Option<u8>,
}

/// Checks a model's figures are physically usable by the simulator.
pub(crate) fn check_model(m: &BatteryModel) -> Result<(), BankError> {
    if m.cells_in_series == 0 {
        return Err(invalid_model(NO_CELLS));
    }
    if m.capacity.0 <= 0 {
        return Err(invalid_model(NO_CAPACITY));
    }
    if m.nominal_voltage.0 <= 0 {
        return Err(invalid_model(NO_VOLTAGE));
    }
    Ok(())
}

/// The bank's nominal voltage, capacity, energy and counts.
pub fn figures(cfg: &BankConfig) -> Result<BankFigures, BankError> {
    let model = cfg
        .model
        .resolve()
        .ok_or_else(|| BankError::UnknownModel(cfg.model.id().into()))?;
    check_model(&model)?;
    if cfg.series == 0 || cfg.parallel == 0 {
        return Err(BankError::NoBatteries);
    }
    let batteries = u32::from(cfg.series) * u32::from(cfg.parallel);
    let nominal = Millivolts(
        model
            .nominal_voltage
            .0
            .saturating_mul(i32::from(cfg.series)),
    );
    let capacity = MilliampHours(model.capacity.0.saturating_mul(i64::from(cfg.parallel)));
    // Wh = batteries × V × Ah, from mV × mAh / 1e6 in integers.
    let energy_wh =
        (i128::from(model.nominal_voltage.0) * i128::from(model.capacity.0) * i128::from(batteries)
            / 1_000_000) as u64;
    let class = match nominal.0 {
        12_800 => Some(12),
        25_600 => Some(24),
        51_200 => Some(48),
        _ => None,
    };
    Ok(BankFigures {
        cells: batteries * u32::from(model.cells_in_series),
        model,
        nominal_voltage: nominal,
        capacity,
        energy_wh,
        batteries,
        system_voltage_class: class,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_figures() {
        let f = figures(&BankConfig::default()).unwrap();
        assert_eq!(
            (
                f.nominal_voltage,
                f.capacity,
                f.energy_wh,
                f.batteries,
                f.cells
            ),
            (Millivolts(12_800), MilliampHours(800_000), 10_240, 4, 16)
        );
        assert_eq!(f.system_voltage_class, Some(12));
    }
}

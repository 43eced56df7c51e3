//! The energy planner: "will my bank last my trip?"
//!
//! A [`Plan`] describes a trip in the words of a van, boat or cabin owner — appliances in watts with their hours and
//! duty cycles ([`profile`]), charge sources by the hour (shore power, the alternator while driving), PV arrays on
//! MPPTs under the sun of a place and month ([`solar`], [`climate`]) — and [`run::run`] plays it through the very
//! same engine as every scenario ([`crate::engine::Simulation`]: BMS, BatteryProtect, Cyrix, discharge floor), by
//! turning the profiles into timed demand changes (the scenario action `demand`). So the answer knows that the
//! BMS cuts the loads at the discharge floor, stops the MPPT through its remote input when a cell is full, and
//! that a 12.8 V bank at 13.1 V draws a different current for the same watts than at 12.9 V.
//!
//! A plan is saved as the optional `plan` section of the system document, and [`run::to_scenario`] writes it as
//! an ordinary scenario (at the bank's nominal voltage) for `smallbms sim`.
#[cfg(feature = "std")]
pub mod cli;
pub mod climate;
pub mod profile;
pub mod run;
pub mod solar;

pub use profile::{ChargeProfile, ClockTime, InverterModel, LoadProfile, Schedule, Window};
pub use run::{run, run_with, PlanOptions, PlanResult, PlanRun};
pub use solar::PvArray;

use crate::engine::SimError;
use crate::lang::{write_in, Lang, Localized};
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use serde::{Deserialize, Serialize};

/// The place the plan happens, for the sun.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Site {
    /// Latitude, degrees (north +).
    pub lat_deg: f64,
    /// Longitude, degrees (east +).
    pub lon_deg: f64,
    /// Offset of the local clock (the profiles' time) from UTC, hours (France in summer: 2).
    #[serde(default)]
    pub utc_offset_h: f64,
}

/// A trip: how long, when, where, and what is used and charged.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    #[serde(default)]
    pub name: String,
    /// Length of the run, days (1 … 366).
    #[serde(default = "default_days")]
    pub days: u32,
    /// First day: month (1 … 12) …
    #[serde(default = "default_month")]
    pub month: u8,
    /// … and day of the month.
    #[serde(default = "first")]
    pub day: u8,
    /// Day of the week of the first day: 0 = Monday … 6 = Sunday.
    #[serde(default)]
    pub start_weekday: u8,
    /// Where: latitude, longitude, clock offset. Absent: the named place's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<Site>,
    /// A place of the climate table (`climate::PLACES`) for the monthly weather, and the site if none is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// Twelve monthly weather factors (0 … 1, January first) that replace the table's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weather_factor: Option<Vec<f64>>,
    #[serde(default)]
    pub loads: Vec<LoadProfile>,
    #[serde(default)]
    pub charges: Vec<ChargeProfile>,
    #[serde(default)]
    pub solar: Vec<PvArray>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inverter: Option<InverterModel>,
    /// State of charge at the start, percent (absent: the bank's own setting).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_soc_percent: Option<f64>,
    /// Loads of the system with no profile keep their configured draw (`false`: they are off during the plan).
    #[serde(default)]
    pub keep_unplanned_loads: bool,
    /// How often the sun and the current of constant-power loads are re-evaluated, minutes (1 … 60; default 30).
    #[serde(default = "default_step")]
    pub step_min: u16,
}

fn default_days() -> u32 {
    7
}
fn default_month() -> u8 {
    6
}
fn first() -> u8 {
    1
}
fn default_step() -> u16 {
    30
}

/// The longest plan, days.
pub const MAX_DAYS: u32 = 366;

/// Why a plan cannot be run, in words a user can act on.
#[derive(Clone, Debug, PartialEq)]
pub enum PlanError {
    /// Not a plan (JSON syntax or shape).
    Json(String),
    /// The system has no plan section and none was given.
    NoPlan,
    /// A number out of its range.
    Range {
        owner: String,
        field: String,
        min: f64,
        max: f64,
        found: f64,
    },
    BadWeekday {
        profile: String,
        day: u8,
    },
    BadDate {
        month: u8,
        day: u8,
    },
    /// A profile names a device the system does not have.
    UnknownDevice {
        profile: String,
        device: String,
    },
    /// A load profile on a device that draws nothing (or a charger).
    NotALoad {
        profile: String,
        device: String,
    },
    /// A charge profile or PV array on a device that is not a charger.
    NotACharger {
        profile: String,
        device: String,
    },
    /// The plan's inverter is not an inverter of the system.
    NotAnInverter {
        device: String,
    },
    /// An AC appliance, but the plan has no inverter.
    NoInverter {
        profile: String,
    },
    /// An AC appliance on another device than the plan's inverter.
    AcElsewhere {
        profile: String,
        device: String,
    },
    UnknownPlace {
        key: String,
    },
    /// PV arrays but no site nor place to put the sun over.
    NoSite,
    WeatherFactors {
        found: usize,
    },
    Sim(SimError),
}

impl Localized for PlanError {
    fn fmt_in(&self, f: &mut fmt::Formatter<'_>, lang: Lang) -> fmt::Result {
        match self {
            PlanError::Json(m) => write_in!(f, lang, "this is not a valid plan: {}", "ce n'est pas un plan valide : {}", m),
            PlanError::NoPlan => f.write_str(lang.pick(
                "this system has no plan: add a \"plan\" section (see core/plans/van-demo.json) or give --plan FILE",
                "ce système n'a pas de plan : ajoutez une section « plan » (voir core/plans/van-demo.json) ou donnez --plan FICHIER",
            )),
            PlanError::Range { owner, field, min, max, found } => write_in!(
                f,
                lang,
                "\"{}\": {} must be {} … {}, not {}",
                "« {} » : {} doit être entre {} et {}, pas {}",
                owner, field, min, max, found
            ),
            PlanError::BadWeekday { profile, day } => write_in!(
                f,
                lang,
                "\"{}\": {} is not a day of the week (0 = Monday … 6 = Sunday)",
                "« {} » : {} n'est pas un jour de la semaine (0 = lundi … 6 = dimanche)",
                profile, day
            ),
            PlanError::BadDate { month, day } => write_in!(
                f,
                lang,
                "the plan starts on day {} of month {}, which does not exist",
                "le plan commence le jour {} du mois {}, qui n'existe pas",
                day, month
            ),
            PlanError::UnknownDevice { profile, device } => write_in!(
                f,
                lang,
                "\"{}\" is connected to \"{}\", but the system has no device of that name",
                "« {} » est branché sur « {} », mais le système n'a aucun appareil de ce nom",
                profile, device
            ),
            PlanError::NotALoad { profile, device } => write_in!(
                f,
                lang,
                "\"{}\" draws power through \"{}\", which is not a load (pick a DC load or an inverter)",
                "« {} » consomme à travers « {} », qui n'est pas un consommateur (choisissez un consommateur CC ou un convertisseur)",
                profile, device
            ),
            PlanError::NotACharger { profile, device } => write_in!(
                f,
                lang,
                "\"{}\" charges through \"{}\", which is not a charger",
                "« {} » charge à travers « {} », qui n'est pas un chargeur",
                profile, device
            ),
            PlanError::NotAnInverter { device } => write_in!(
                f,
                lang,
                "the plan's inverter \"{}\" is not an inverter of the system",
                "le convertisseur du plan « {} » n'est pas un convertisseur du système",
                device
            ),
            PlanError::NoInverter { profile } => write_in!(
                f,
                lang,
                "\"{}\" is an AC appliance, but the plan has no inverter: add an \"inverter\" section",
                "« {} » est un appareil 230 V, mais le plan n'a pas de convertisseur : ajoutez une section « inverter »",
                profile
            ),
            PlanError::AcElsewhere { profile, device } => write_in!(
                f,
                lang,
                "\"{}\" is an AC appliance on \"{}\", which is not the plan's inverter",
                "« {} » est un appareil 230 V sur « {} », qui n'est pas le convertisseur du plan",
                profile, device
            ),
            PlanError::UnknownPlace { key } => {
                write_in!(f, lang, "no place of the climate table is called \"{}\"; known: ", "aucun lieu de la table climatique ne s'appelle « {} » ; connus : ", key)?;
                for (i, p) in climate::PLACES.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    f.write_str(p.key)?;
                }
                Ok(())
            }
            PlanError::NoSite => f.write_str(lang.pick(
                "the plan has solar panels but no site: give \"site\" (latitude, longitude) or a \"place\"",
                "le plan a des panneaux solaires mais pas de lieu : donnez « site » (latitude, longitude) ou « place »",
            )),
            PlanError::WeatherFactors { found } => write_in!(
                f,
                lang,
                "weather_factor needs 12 monthly values, not {}",
                "weather_factor demande 12 valeurs mensuelles, pas {}",
                found
            ),
            PlanError::Sim(e) => e.fmt_in(f, lang),
        }
    }
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_in(f, Lang::En)
    }
}

impl Plan {
    /// Parses a plan; never panics on any text. Checked when it is run (against its system).
    pub fn from_json(text: &str) -> Result<Plan, PlanError> {
        serde_json::from_str(text)
            .map_err(|e| PlanError::Json(alloc::string::ToString::to_string(&e)))
    }

    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".into())
    }
}

/// The demo plan: a week in a camper van near Marseille in October on the demo system — fridge, lights, water
/// pump, a diesel-heater fan, a laptop and a morning coffee maker on the inverter, 400 Wp flat on the roof, the
/// alternator two hours a day while driving, shore power on Saturday night.
pub const DEMO_JSON: &str = include_str!("../../plans/van-demo.json");

/// [`DEMO_JSON`], parsed.
pub fn demo() -> Plan {
    // The demo file is part of the build and checked by tests; an empty plan is the fallback, never a panic.
    Plan::from_json(DEMO_JSON).unwrap_or_else(|_| Plan {
        name: String::new(),
        days: default_days(),
        month: default_month(),
        day: first(),
        start_weekday: 0,
        site: None,
        place: None,
        weather_factor: None,
        loads: Vec::new(),
        charges: Vec::new(),
        solar: Vec::new(),
        inverter: None,
        initial_soc_percent: None,
        keep_unplanned_loads: false,
        step_min: default_step(),
    })
}

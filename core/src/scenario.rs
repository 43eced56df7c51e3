//! Scenarios: scripted inputs over time (what the user, the weather and the faults do to the system), as serde
//! data. The built-in ones ship as JSON under `core/scenarios/` and are embedded at compile time.
use crate::units::{DeciCelsius, Millis, Permille};
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;
use serde::{Deserialize, Serialize};

/// The scenario format this build writes. Older versions are upgraded on reading ([`upgrade`]); newer ones are
/// refused. A scenario without a `version` field is version 1.
///
/// - 1: an event is `{"at_s": 60, "action": "bms_cable", "connected": false}`.
/// - 2: an event is `{"at_s": 60, "action": {"bms_cable": {"connected": false}}}` (the action externally tagged,
///   which reads without buffering the object and keeps the app smaller).
pub const SCENARIO_VERSION: u32 = 2;

/// One scripted change, applied at `at_s` seconds after the start.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScenarioEvent {
    pub at_s: u64,
    pub action: Action,
}

/// What can happen to the system.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// The named device's demand when it is on: amps drawn by a load, amps pushed by a charger.
    Demand { device: String, amps: f64 },
    /// A load wired straight to the battery, not switched by anything (a parasitic drain), in milliamps.
    Parasitic { milliamps: f64 },
    /// A charge source wired straight to the battery (e.g. a lab supply), in amps; 0 removes it.
    ExternalCharge { amps: f64 },
    /// Temperature of one battery (index from 0), or of every battery when `battery` is absent.
    Temperature {
        celsius: f64,
        #[serde(default)]
        battery: Option<usize>,
    },
    /// The BMS-cable chain: `false` pulls a cable (the chain is broken), `true` plugs it back.
    BmsCable { connected: bool },
    /// The remote on/off switch between Remote L and H.
    Remote { on: bool },
    /// A cell drifts: its state of charge jumps by `permille` (negative: lower), the way an imbalanced cell does.
    CellDrift {
        battery: usize,
        cell: usize,
        permille: i32,
    },
    /// The BMS supply is disconnected (`false`, e.g. a blown supply fuse) or restored.
    BmsSupply { connected: bool },
    /// A start-assist pulse on the named Cyrix-Li-ct (its start-assist button or wire): it closes for 30 s
    /// whatever the voltages, as long as its control input is high (CYR-CT).
    StartAssist { device: String },
}

/// A scripted run: the starting state and the events, in time order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// How long the run lasts, in seconds.
    pub duration_s: u64,
    /// State of charge every cell starts at (the system's own setting when absent).
    #[serde(default)]
    pub initial_soc_percent: Option<f64>,
    /// Temperature every battery starts at (the system's own setting when absent).
    #[serde(default)]
    pub initial_celsius: Option<f64>,
    /// Discharge floor for this run, overriding the system's setting (0 turns the floor off, e.g. to watch a
    /// cell under-voltage shutdown instead).
    #[serde(default)]
    pub discharge_floor_percent: Option<f64>,
    #[serde(default)]
    pub events: Vec<ScenarioEvent>,
}

/// Why a scenario cannot be run, in words a user can act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScenarioError {
    /// The text is not a scenario (JSON syntax or shape).
    Json(String),
    /// A value is out of range.
    Value(String),
    /// No built-in scenario has this name.
    UnknownBuiltin { name: String },
    /// Written in a newer scenario format than this build reads.
    Newer { found: u64 },
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScenarioError::Json(m) => write!(f, "this is not a valid scenario: {m}"),
            ScenarioError::Value(m) => write!(f, "scenario value out of range: {m}"),
            ScenarioError::Newer { found } => write!(
                f,
                "this scenario was written by a newer version of the app (format {found}, this one reads up \
                 to {SCENARIO_VERSION})"
            ),
            ScenarioError::UnknownBuiltin { name } => {
                write!(f, "no built-in scenario is called \"{name}\"; known: ")?;
                for (i, b) in BUILTINS.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    f.write_str(b.0)?;
                }
                Ok(())
            }
        }
    }
}

/// The longest run a scenario may ask for: ten years of simulated time.
pub const MAX_DURATION_S: u64 = 10 * 366 * 24 * 3600;

impl Scenario {
    /// Parses and checks a scenario; never panics on any text.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        let json = |e: serde_json::Error| ScenarioError::Json(e.to_string());
        let mut value: serde_json::Value = serde_json::from_str(text).map_err(json)?;
        let version = match value.get("version") {
            None => 1,
            Some(v) => v.as_u64().ok_or_else(|| {
                ScenarioError::Json("\"version\" must be a whole number".to_string())
            })?,
        };
        if version > u64::from(SCENARIO_VERSION) {
            return Err(ScenarioError::Newer { found: version });
        }
        upgrade(&mut value, version);
        let mut s: Scenario = serde_json::from_value(value).map_err(json)?;
        s.check()?;
        // Events apply in time order; a stable sort keeps the file's order for simultaneous ones.
        s.events.sort_by_key(|e| e.at_s);
        Ok(s)
    }

    /// Range checks on every value (NaN and infinities included).
    pub fn check(&self) -> Result<(), ScenarioError> {
        let bad = |m: String| Err(ScenarioError::Value(m));
        if self.duration_s == 0 || self.duration_s > MAX_DURATION_S {
            return bad(alloc::format!(
                "duration_s must be 1 … {MAX_DURATION_S} s, not {}",
                self.duration_s
            ));
        }
        if let Some(soc) = self.initial_soc_percent {
            if !(0.0..=100.0).contains(&soc) {
                return bad(alloc::format!(
                    "initial_soc_percent must be 0 … 100, not {soc}"
                ));
            }
        }
        if let Some(f) = self.discharge_floor_percent {
            if !(0.0..=99.0).contains(&f) {
                return bad(alloc::format!(
                    "discharge_floor_percent must be 0 … 99, not {f}"
                ));
            }
        }
        if let Some(t) = self.initial_celsius {
            check_celsius(t)?;
        }
        for e in &self.events {
            if e.at_s > self.duration_s {
                return bad(alloc::format!(
                    "an event at {} s is after the end ({} s)",
                    e.at_s,
                    self.duration_s
                ));
            }
            match &e.action {
                Action::Demand { amps, .. } | Action::ExternalCharge { amps } => {
                    if !amps.is_finite() || !(0.0..=10_000.0).contains(amps) {
                        return bad(alloc::format!("amps must be 0 … 10000, not {amps}"));
                    }
                }
                Action::Parasitic { milliamps } => {
                    if !milliamps.is_finite() || !(0.0..=100_000.0).contains(milliamps) {
                        return bad(alloc::format!(
                            "milliamps must be 0 … 100000, not {milliamps}"
                        ));
                    }
                }
                Action::Temperature { celsius, .. } => check_celsius(*celsius)?,
                Action::CellDrift { permille, .. } => {
                    if !(-1000..=1000).contains(permille) {
                        return bad(alloc::format!(
                            "permille must be −1000 … 1000, not {permille}"
                        ));
                    }
                }
                Action::BmsCable { .. }
                | Action::Remote { .. }
                | Action::BmsSupply { .. }
                | Action::StartAssist { .. } => {}
            }
        }
        Ok(())
    }

    pub fn duration(&self) -> Millis {
        Millis::secs(self.duration_s)
    }

    pub fn initial_soc(&self) -> Option<Permille> {
        self.initial_soc_percent
            .map(|p| Permille::from_fraction(p / 100.0))
    }

    pub fn initial_temperature(&self) -> Option<DeciCelsius> {
        self.initial_celsius.map(DeciCelsius::from_si)
    }
}

/// Brings the JSON of a scenario written in format `version` to the shape of [`SCENARIO_VERSION`], on the JSON
/// tree. Anything not recognised is left as it is, for the reading that follows to report.
pub fn upgrade(scenario: &mut serde_json::Value, version: u64) {
    if version <= 1 {
        v1_to_v2(scenario);
    }
}

/// Version 1 → 2: each event's action moves from `"action": "name"` beside its fields to
/// `"action": {"name": {fields}}`; `at_s` stays on the event.
fn v1_to_v2(scenario: &mut serde_json::Value) {
    use serde_json::{Map, Value};
    let Some(events) = scenario.get_mut("events").and_then(Value::as_array_mut) else {
        return;
    };
    for event in events {
        let Value::Object(fields) = event else {
            continue;
        };
        let Some(Value::String(name)) = fields.get("action") else {
            continue;
        };
        let name = name.clone();
        fields.remove("action");
        let at_s = fields.remove("at_s");
        let mut action = Map::new();
        action.insert(name, Value::Object(core::mem::take(fields)));
        if let Some(at_s) = at_s {
            fields.insert("at_s".to_string(), at_s);
        }
        fields.insert("action".to_string(), Value::Object(action));
    }
}

fn check_celsius(t: f64) -> Result<(), ScenarioError> {
    if t.is_finite() && (-60.0..=100.0).contains(&t) {
        Ok(())
    } else {
        Err(ScenarioError::Value(alloc::format!(
            "temperature must be −60 … 100 °C, not {t}"
        )))
    }
}

/// The built-in scenarios: (name, JSON). Each runs on the demo system.
pub const BUILTINS: &[(&str, &str)] = &[
    (
        "cell-undervoltage",
        include_str!("../scenarios/cell-undervoltage.json"),
    ),
    (
        "discharge-floor",
        include_str!("../scenarios/discharge-floor.json"),
    ),
    ("cold-charge", include_str!("../scenarios/cold-charge.json")),
    ("high-cell", include_str!("../scenarios/high-cell.json")),
    ("bms-cable", include_str!("../scenarios/bms-cable.json")),
    ("remote-off", include_str!("../scenarios/remote-off.json")),
    (
        "standby-drain",
        include_str!("../scenarios/standby-drain.json"),
    ),
];

/// A built-in scenario by name.
pub fn builtin(name: &str) -> Result<Scenario, ScenarioError> {
    let (_, json) =
        BUILTINS
            .iter()
            .find(|(n, _)| *n == name)
            .ok_or_else(|| ScenarioError::UnknownBuiltin {
                name: name.to_string(),
            })?;
    Scenario::from_json(json)
}
